import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { waitFor } from "@/scripts/lib/run";
import { getConfig } from "@/server/config";
import { partitionOfUser } from "@/server/platform/partitions";
import { newBettor } from "@/test/support/api-client";
import { connectTestDatabase } from "@/test/support/database";
import { workerHolding } from "@/test/support/processes";
import { reconcileWallets } from "./reconcile-wallets";
import { walletKeys } from "@/server/platform/redis-keys";
import { connectTestRedis } from "@/test/support/redis";

const db = connectTestDatabase();
const redis = connectTestRedis();
const partitions = getConfig({ ...process.env }).WRITE_BEHIND_PARTITIONS;
const deps = { db, redis, partitions };

describe("wallet reconciliation (I6)", () => {
  it("compares like with like: a credit the relay has not applied yet is no drift, a real difference is", async () => {
    const bettor = await newBettor();
    const worker = await workerHolding(redis, "bm:outbox:relay:lease");
    expect(worker).not.toBeNull();
    // The relay paused, as right after a worker starts: the deposit is in PostgreSQL, not yet in Redis.
    process.kill(worker!, "SIGSTOP");
    try {
      expect((await bettor.client.post("/api/wallet/deposits", { amount: 5_000, idempotencyKey: randomUUID() })).status).toBe(201);
      expect((await bettor.client.get("/api/wallet")).body).toMatchObject({ balance: 5_000, available: 0 });
      const quiet = await reconcileWallets(deps);
      expect(quiet.worst.filter((d) => d.userId === bettor.id)).toEqual([]);

      // A wallet that really differs is reported, by the amount it differs.
      await redis.hincrby(walletKeys.wallet(partitionOfUser(bettor.id, partitions), bettor.id), "available", 7);
      const drifted = await reconcileWallets(deps);
      expect(drifted.worst.filter((d) => d.userId === bettor.id)).toEqual([{ userId: bettor.id, drift: 7 }]);
      await redis.hincrby(walletKeys.wallet(partitionOfUser(bettor.id, partitions), bettor.id), "available", -7);
    } finally {
      process.kill(worker!, "SIGCONT");
    }
    await waitFor("the deposit in Redis", async () => (await bettor.client.get("/api/wallet")).body.available === 5_000, 30_000);
    await waitFor("no drift", async () => (await reconcileWallets(deps)).worst.every((d) => d.userId !== bettor.id), 30_000);
  });
});
