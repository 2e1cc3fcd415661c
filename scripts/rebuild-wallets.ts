// npm run wallets:rebuild: after Redis lost data (or to repair drift), rebuild every Redis wallet and the live odds
// from PostgreSQL plus the unflushed log. Stop the workers first: it refuses while a flusher holds a partition.
import { syncLiveState } from "@/server/catalog/live-state";
import { getConfig } from "@/server/config";
import { createDatabase } from "@/server/platform/db";
import { createRedis } from "@/server/platform/redis";
import { rebuildWallets } from "@/server/wallet/rebuild-wallets";
import { profiles } from "./lib/local-services";
import { provideServices } from "./lib/stack";

const services = await provideServices(profiles.dev, { name: "bookmaker" });
const { db, client } = createDatabase(services.databaseUrl, { max: 2 });
const redis = createRedis(services.redisUrl);
const partitions = getConfig({ ...process.env, DATABASE_URL: services.databaseUrl, REDIS_URL: services.redisUrl }).WRITE_BEHIND_PARTITIONS;
try {
  const matches = await syncLiveState(db, redis, partitions);
  const { users } = await rebuildWallets(db, redis, partitions);
  console.log(`Rebuilt ${users} wallets and the live state of ${matches} matches in ${partitions} partitions.`);
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  redis.disconnect();
  await client.end();
  await services.stop();
}
