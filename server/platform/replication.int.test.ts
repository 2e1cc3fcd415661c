import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { bets, outbox, writeBehindPartitions } from "@/drizzle/schema";
import { walletEvents } from "@/server/wallet/events";
import { startNode } from "@/scripts/lib/local-redis";
import { dataDir, profiles } from "@/scripts/lib/local-services";
import { waitFor } from "@/scripts/lib/run";
import { requiredEnv } from "@/test/support/api-client";
import { alignRedisWallets, betBody, betLogEntry, fundedBettor, openMatch, waitUntilRecorded } from "@/test/support/betting";
import { PartitionFlusher } from "@/server/betting/flusher";
import { getConfig } from "@/server/config";
import { logger } from "@/server/platform/logger";
import { logKeys } from "@/server/platform/redis-keys";
import { connectTestDatabase } from "@/test/support/database";
import { findReplicationProblems } from "./replication";

const db = connectTestDatabase();
const redis = new Redis(requiredEnv("REDIS_URL"));
const config = getConfig({ ...process.env });
const scratch = mkdtempSync(join(tmpdir(), "bm-replication-"));
const scratchNodes: number[] = [];
afterAll(async () => {
  redis.disconnect();
  for (const port of scratchNodes) {
    const node = new Redis(port, "127.0.0.1", { lazyConnect: true, maxRetriesPerRequest: 0 });
    await node.connect().then(
      () => node.shutdown("NOSAVE").catch(() => {}),
      () => {},
    );
    node.disconnect();
  }
  rmSync(scratch, { recursive: true, force: true });
});

const usesPrivateRedis = new URL(requiredEnv("REDIS_URL")).port === String(profiles.test.redisPort);

/** The stack's replica process, checked against its command line. */
function replicaPid(): number {
  const pid = Number(readFileSync(join(dataDir(profiles.test), "redis-replica", "redis.pid"), "utf8"));
  expect(readFileSync(`/proc/${pid}/cmdline`, "utf8")).toContain(`:${profiles.test.replicaPort}`);
  return pid;
}

const creditRows = (userId: string) =>
  db
    .select()
    .from(outbox)
    .where(and(eq(outbox.topic, walletEvents.walletCredited.topic), sql`${outbox.payload}->>'userId' = ${userId}`));

describe("replicas (I10)", () => {
  it("the test stack's primary streams to a replica that fsyncs every write, and WAIT counts it", async () => {
    expect(await findReplicationProblems(redis, 1)).toEqual({ blocking: [], warnings: [] });
  });

  it("a replica that does not fsync every write, or one WAIT does not count, is refused by name", async () => {
    // A primary and two replicas of its own (ports far from the stack's), the first replica fsyncing once a second.
    const base = profiles.test.redisPort + 200;
    scratchNodes.push(base, base + 1, base + 2);
    await startNode(join(scratch, "primary"), base, []);
    await startNode(join(scratch, "lazy"), base + 1, ["--replicaof", "127.0.0.1", String(base), "--appendfsync", "everysec"]);
    await startNode(join(scratch, "second"), base + 2, ["--replicaof", "127.0.0.1", String(base)]);
    const primary = new Redis(base, "127.0.0.1");
    try {
      await waitFor("both replicas online", async () => ((await primary.info("replication")).match(/state=online/g) ?? []).length === 2);
      const { blocking } = await findReplicationProblems(primary, 1);
      expect(blocking.join("\n")).toMatch(new RegExp(`replica 127.0.0.1:${base + 1} of 127.0.0.1:${base} has "appendfsync" = "everysec"`));
      expect(blocking.join("\n")).toMatch(/has 2 replicas a failover may promote but REDIS_REPLICAS_REQUIRED is 1/);

      // Fixed: the lazy replica fsyncs every write, and the other may never be promoted.
      const lazy = new Redis(base + 1, "127.0.0.1");
      const second = new Redis(base + 2, "127.0.0.1");
      await lazy.config("SET", "appendfsync", "always");
      await second.config("SET", "replica-priority", "0");
      lazy.disconnect();
      second.disconnect();
      expect(await findReplicationProblems(primary, 1)).toEqual({ blocking: [], warnings: [] });
      expect((await findReplicationProblems(primary, 2)).warnings).toEqual([]);
      expect((await findReplicationProblems(primary, 3)).warnings.join()).toMatch(/2 replicas connected, 3 required/);
    } finally {
      primary.disconnect();
    }
  });

  it("a failover to a replica that missed an entry: the flusher never moved its cursor past it, so the ids the new primary hands out again are flushed", async () => {
    // A primary and a replica of their own, a partition of their own, and a flusher as a worker would run it.
    const [primaryPort, replicaPort] = [profiles.test.redisPort + 210, profiles.test.redisPort + 211];
    scratchNodes.push(primaryPort, replicaPort);
    const primaryDir = join(scratch, "failover-primary");
    const primaryNode = await startNode(primaryDir, primaryPort, []);
    await startNode(join(scratch, "failover-replica"), replicaPort, ["--replicaof", "127.0.0.1", String(primaryPort)]);
    const primary = new Redis(primaryPort, "127.0.0.1", { maxRetriesPerRequest: 1 });
    const promoted = new Redis(replicaPort, "127.0.0.1");
    const partition = config.WRITE_BEHIND_PARTITIONS + 92;
    const stream = logKeys.stream(partition);
    const match = await openMatch();
    const { id: userId } = await fundedBettor(10_000);
    const flusherOn = (redis: Redis) =>
      new PartitionFlusher(
        { db, redis, partitions: config.WRITE_BEHIND_PARTITIONS, config },
        { partition, reader: redis.duplicate(), batchSize: 10, log: logger.child({ test: "failover" }) },
      );
    const flushed = (betId: string) => waitUntilRecorded(db, [betId], 30_000);
    const cursor = async () =>
      (await db.select().from(writeBehindPartitions).where(eq(writeBehindPartitions.partition, partition)))[0]?.lastStreamId;
    const pidOf = (node: { pidFile: string }) => Number(readFileSync(node.pidFile, "utf8"));
    const first = flusherOn(primary);
    let second: PartitionFlusher | undefined;
    try {
      await waitFor("the replica in sync", async () => (await primary.wait(1, 1_000)) === 1);
      first.start();
      const [before, lost, after] = [randomUUID(), randomUUID(), randomUUID()];
      const beforeId = (await primary.xadd(stream, "*", ...betLogEntry(match, before, userId)))!;
      await flushed(before);

      // The replica is promoted while the old primary still takes an entry (a failover it has not heard of yet),
      // with an id from its clock ahead of the new primary's. (A paused replica would still find the entry in its
      // socket buffer on resuming: the link has to be cut.)
      await promoted.replicaof("NO", "ONE");
      const lostId = `${Date.now() + 600_000}-0`;
      await primary.xadd(stream, lostId, ...betLogEntry(match, lost, userId));
      // The flusher reads it twice (each read marks the stats first, then waits for a replica in vain).
      const checks = new Set<string>();
      await waitFor(
        "two reads past the entry",
        async () => checks.add((await primary.hget(logKeys.stats(partition), "replicationCheckedAt")) ?? "").size > 2,
      );
      expect(await cursor()).toBe(beforeId);

      // The old primary dies and rejoins as the new one's replica.
      process.kill(pidOf(primaryNode), "SIGKILL");
      await first.stop();
      await startNode(primaryDir, primaryPort, ["--replicaof", "127.0.0.1", String(replicaPort)]);
      await waitFor("the old primary in sync as a replica", async () => (await promoted.wait(1, 1_000)) === 1);
      expect(await promoted.xrange(stream, lostId, lostId)).toEqual([]);

      // The new primary hands out ids below the lost one's: flushed, because the cursor never passed it.
      second = flusherOn(promoted);
      second.start();
      const afterId = (await promoted.xadd(stream, "*", ...betLogEntry(match, after, userId)))!;
      await flushed(after);
      expect(await cursor()).toBe(afterId);
      expect(await db.select().from(bets).where(eq(bets.id, lost))).toEqual([]);
    } finally {
      await first.stop();
      await second?.stop();
      primary.disconnect();
      promoted.disconnect();
      await alignRedisWallets(db, redis, [{ id: userId }]);
      await db.delete(writeBehindPartitions).where(eq(writeBehindPartitions.partition, partition));
    }
  });

  it.runIf(usesPrivateRedis)(
    "with the replica stopped the relay applies a deposit's credit but does not mark it published until a replica holds it",
    async () => {
      const { client, id } = await fundedBettor(0);
      const pid = replicaPid();
      process.kill(pid, "SIGSTOP");
      let whileStopped;
      try {
        expect((await client.post("/api/wallet/deposits", { amount: 2_500, idempotencyKey: randomUUID() })).status).toBe(201);
        await waitFor("the relay to credit the Redis wallet", async () => (await client.get("/api/wallet")).body.available === 2_500);
        whileStopped = await creditRows(id);
      } finally {
        process.kill(pid, "SIGCONT");
      }
      // Marked published, a credit lost with the primary would never be applied again.
      expect(whileStopped.map((row) => row.publishedAt)).toEqual([null]);
      await waitFor("the credit marked published", async () => (await creditRows(id)).every((row) => row.publishedAt !== null));
    },
  );

  it.runIf(usesPrivateRedis)(
    "with the replica stopped a bet is refused 503, never acknowledged on one disk nor written to PostgreSQL; retried once it returns, it is taken once",
    async () => {
      const match = await openMatch();
      const selection = match.markets[0]!.selections[0]!;
      const { client, id } = await fundedBettor(10_000);
      const pid = replicaPid();
      const body = betBody(selection.id, 1_000, selection.odds, { idempotencyKey: randomUUID() });
      process.kill(pid, "SIGSTOP");
      let refused;
      try {
        refused = await client.post("/api/bets", body);
        // The flusher has the entry in the stream but no replica confirms it: it must not reach PostgreSQL.
        expect(await db.select().from(bets).where(eq(bets.userId, id))).toEqual([]);
      } finally {
        process.kill(pid, "SIGCONT");
      }
      expect(refused.status).toBe(503);
      expect(refused.body.error.code).toBe("UNAVAILABLE");

      // The outcome was unknown to the bettor; the same key now answers the one bet (a replay: 200).
      await waitFor("the replica to confirm writes again", async () => (await redis.wait(1, 1_000)) === 1);
      const retried = await client.post("/api/bets", body);
      expect(retried.status).toBe(200);
      await waitUntilRecorded(db, [retried.body.bet.id]);
      const recorded = await db.select().from(bets).where(eq(bets.userId, id));
      expect(recorded.map((b) => b.id)).toEqual([retried.body.bet.id]);
      await waitFor("the stake recorded, no longer pending", async () => (await client.get("/api/wallet")).body.pendingStakes === 0);
      expect((await client.get("/api/wallet")).body).toMatchObject({ balance: 9_000, available: 9_000 });
    },
  );
});
