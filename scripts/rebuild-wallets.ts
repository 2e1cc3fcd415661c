// npm run wallets:rebuild [-- --cluster]: after Redis lost data (or to repair drift), rebuild every Redis wallet and the live odds
// from PostgreSQL plus the unflushed log. Stop the workers first: it refuses while a flusher holds a partition.
import { syncLiveState } from "@/server/catalog/live-state";
import { getConfig } from "@/server/config";
import { createDatabase } from "@/server/platform/db";
import { connectRedis } from "@/server/platform/redis";
import { syncStakeFactors } from "@/server/risk/stake-factors";
import { rebuildWallets } from "@/server/wallet/rebuild-wallets";
import { profiles } from "./lib/local-services";
import { provideServices, redisTopologyOf } from "./lib/stack";

const services = await provideServices(profiles.dev, { name: "bookmaker" }, redisTopologyOf(process.argv));
const { db, client } = createDatabase(services.databaseUrl, { max: 2 });
const config = getConfig({ ...process.env, ...services.env });
const redis = connectRedis(config);
const partitions = config.WRITE_BEHIND_PARTITIONS;
try {
  const matches = await syncLiveState({ db, redis, partitions });
  await syncStakeFactors({ db, redis, partitions });
  const { users } = await rebuildWallets({ db, redis, partitions });
  console.log(`Rebuilt ${users} wallets and the live state of ${matches} matches in ${partitions} partitions.`);
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  redis.disconnect();
  await client.end();
  await services.stop();
}
