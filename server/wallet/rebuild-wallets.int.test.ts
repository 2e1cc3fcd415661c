import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { quarantinedEntries } from "@/drizzle/schema";
import { waitFor } from "@/scripts/lib/run";
import { getConfig } from "@/server/config";
import { allPartitions, partitionOfUser } from "@/server/platform/partitions";
import { betBody, fundedBettor, openMatch, staffClient } from "@/test/support/betting";
import { connectTestDatabase } from "@/test/support/database";
import { workerHolding } from "@/test/support/processes";
import { reconcileWallets } from "./reconcile-wallets";
import { rebuildWallets } from "./rebuild-wallets";
import { reserveWithdrawal } from "./withdrawals";
import { logKeys, walletKeys } from "@/server/platform/redis-keys";
import { connectTestRedis } from "@/test/support/redis";

const db = connectTestDatabase();
const redis = connectTestRedis();
const config = getConfig({ ...process.env });
const partitions = config.WRITE_BEHIND_PARTITIONS;
const deps = { db, redis, partitions };

describe("rebuilding the Redis wallets", () => {
  it("refuses while flushers run", async () => {
    await expect(rebuildWallets(deps)).rejects.toThrow(/stop the workers/);
  });

  it("restores a lost wallet from PostgreSQL plus the unflushed log and the quarantine, credits included once", async () => {
    const match = await openMatch();
    const selection = match.markets[0]!.selections[0]!;
    const { client, id } = await fundedBettor(10_000);
    const p = partitionOfUser(id, partitions);
    // Pause the worker (like a stopped service) so bets stay in the log; its leases expire.
    const pid = await workerHolding(redis, logKeys.lease(p));
    expect(pid).not.toBeNull();
    process.kill(pid!, "SIGSTOP");
    try {
      await waitFor(
        "the flusher leases to expire",
        async () => (await Promise.all(allPartitions(partitions).map((q) => redis.exists(logKeys.lease(q))))).every((e) => e === 0),
        15_000,
      );
      expect((await client.post("/api/bets", betBody(selection.id, 1_200, selection.odds))).status).toBe(201);
      expect((await client.post("/api/bets", betBody(selection.id, 800, selection.odds))).status).toBe(201);
      // A bet of theirs that PostgreSQL refused earlier, still in quarantine: its stake stays reserved.
      const quarantined = {
        type: "bet",
        betId: randomUUID(),
        userId: id,
        selectionId: selection.id,
        matchId: match.id,
        stake: "500",
        odds: "210",
        idempotencyKey: "k",
      };
      await db.insert(quarantinedEntries).values({
        partition: p,
        streamId: "1-1",
        entry: JSON.stringify(quarantined),
        error: "test",
        betId: quarantined.betId,
        userId: id,
        matchId: match.id,
        stake: 500,
      });
      // A withdrawal whose web process died after reserving it: the rebuild finishes it first (given back).
      const withdrawal = await reserveWithdrawal({ ...deps, config }, { userId: id, amount: 1_000, idempotencyKey: randomUUID() });
      expect(withdrawal).toHaveProperty("reservation");
      // Redis lost this wallet.
      await redis.del(walletKeys.wallet(p, id), walletKeys.credited(p, id), logKeys.pending(p, id));
      await rebuildWallets(deps);
      expect(await redis.hgetall(walletKeys.wallet(p, id))).toEqual({
        available: "7500",
        pending: "2500",
        withdrawing: "0",
        cashingOut: "0",
      });
      expect(await redis.hlen(walletKeys.withdrawals(p))).toBe(0);
      expect(await redis.hlen(logKeys.pending(p, id))).toBe(3);
      expect(await redis.scard(walletKeys.credited(p, id))).toBe(1);
    } finally {
      process.kill(pid!, "SIGCONT");
    }
    await waitFor("the bets flushed", async () => (await client.get("/api/wallet")).body.pendingStakes === 500, 30_000);
    expect((await client.get("/api/wallet")).body).toMatchObject({ available: 7_500, balance: 8_000 });
    await waitFor("no drift", async () => (await reconcileWallets(deps)).users === 0, 30_000);
    const refund = await (await staffClient()).post(`/api/admin/write-behind/quarantine/${p}/1-1`, { action: "refund" });
    expect(refund.status).toBe(200);
    expect((await client.get("/api/wallet")).body).toMatchObject({ available: 8_000, pendingStakes: 0, balance: 8_000 });
  });
});
