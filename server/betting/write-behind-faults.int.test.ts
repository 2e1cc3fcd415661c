import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { bets, writeBehindPartitions } from "@/drizzle/schema";
import { dataDir, profiles, startPostgres, startRedis } from "@/scripts/lib/local-services";
import { sleep, waitFor } from "@/scripts/lib/run";
import type { MatchDto } from "@/server/catalog/match-root";
import { getConfig } from "@/server/config";
import { createDatabase } from "@/server/platform/db";
import { logger } from "@/server/platform/logger";
import { requiredEnv } from "@/test/support/api-client";
import { alignRedisWallets, BetLoad, betLogEntry, expectExactlyOnce, fundedBettor, openMatch } from "@/test/support/betting";
import { connectTestDatabase } from "@/test/support/database";
import { killWorkerHolding, workerHolding } from "@/test/support/processes";
import { PartitionFlusher, type BatchCommitted } from "./flusher";
import { compareStreamIds } from "./write-behind-log";
import { logKeys, walletKeys } from "@/server/platform/redis-keys";
import { connectTestRedis } from "@/test/support/redis";
import { Redis } from "ioredis";

// Faults under load, against the processes and services `npm test` started: the worker (restarted by the
// harness's supervisor like a service manager would), and its private Redis and PostgreSQL, found by pid / data dir.
const db = connectTestDatabase();
const redis = connectTestRedis({ maxRetriesPerRequest: null });
const config = getConfig({ ...process.env });
const partitions = config.WRITE_BEHIND_PARTITIONS;
const usesPrivateServices =
  new URL(requiredEnv("REDIS_URL")).port === String(profiles.test.redisPort) &&
  new URL(requiredEnv("DATABASE_URL")).port === String(profiles.test.pgPort);

const DEPOSIT = 1_000_000;
let match: MatchDto;
beforeAll(async () => {
  match = await openMatch();
});

async function bettors(count: number) {
  return Promise.all(Array.from({ length: count }, () => fundedBettor(DEPOSIT)));
}

async function queueDepth() {
  const depths = await Promise.all(Array.from({ length: partitions }, (_, p) => redis.xlen(logKeys.stream(p))));
  return depths.reduce((a, b) => a + b, 0);
}

describe("write-behind under faults (I1, I2)", () => {
  it("the flusher killed -9 mid-batch, repeatedly, under load: every acknowledged bet is in PostgreSQL exactly once", async () => {
    const people = await bettors(12);
    const load = new BetLoad(people, match.markets[0]!.selections[0]!);
    let kills = 0;
    for (let i = 0; kills < 4 && i < 10; i++) {
      // Once a (restarted) worker flushes again, kill it at a random moment, most likely inside a batch.
      const lease = logKeys.lease(i % partitions);
      await waitFor("a live flusher", async () => (await workerHolding(redis, lease)) !== null, 30_000);
      await sleep(200 + Math.random() * 1_000);
      if (await killWorkerHolding(redis, lease)) kills++;
    }
    // Counts, not sleeps, throughout: on a busy machine the load takes longer to get there.
    await waitFor("100 bets acknowledged", async () => load.acknowledged.size >= 100, 120_000);
    await load.stop();
    expect(kills).toBe(4);
    const result = await expectExactlyOnce(db, load, people, DEPOSIT);
    expect(result.problems).toEqual([]);
    expect(result.bets).toBeGreaterThan(100);
    console.info(`flusher kill -9: ${kills} kills, ${result.bets} acknowledged bets, each exactly once`);
  });

  it.runIf(usesPrivateServices)("Redis killed -9 and restarted from its AOF under load: no acknowledged bet is lost", async () => {
    const people = await bettors(12);
    const load = new BetLoad(people, match.markets[0]!.selections[1]!);
    await waitFor("50 bets acknowledged", async () => load.acknowledged.size >= 50, 60_000);
    const pidFile = join(dataDir(profiles.test), "redis", "redis.pid");
    const pid = Number(readFileSync(pidFile, "utf8"));
    expect(readFileSync(`/proc/${pid}/cmdline`, "utf8")).toContain(`:${profiles.test.redisPort}`);
    const acknowledgedBefore = load.acknowledged.size;
    process.kill(pid, "SIGKILL");
    await waitFor("Redis to be gone", async () => !existsSync(`/proc/${pid}`), 10_000);
    await sleep(1_000);
    await startRedis(profiles.test);
    await waitFor("bets acknowledged by the restarted Redis", async () => load.acknowledged.size >= acknowledgedBefore + 20, 60_000);
    await load.stop();
    const result = await expectExactlyOnce(db, load, people, DEPOSIT);
    expect(result.problems).toEqual([]);
    expect(load.acknowledged.size).toBeGreaterThan(acknowledgedBefore);
    console.info(
      `Redis kill -9: ${acknowledgedBefore} acknowledged before the kill, ${result.bets} in all, ${load.retried} retried requests, each bet exactly once`,
    );
  });

  it.runIf(usesPrivateServices)(
    "PostgreSQL stopped for 20 s under load: bets keep being accepted, the queue drains after, nothing lost or doubled",
    async () => {
      const people = await bettors(8);
      const load = new BetLoad(people, match.markets[0]!.selections[2]!);
      await waitFor("20 bets acknowledged", async () => load.acknowledged.size >= 20, 60_000);
      const pg = await startPostgres(profiles.test);
      await pg.stop();
      const acknowledgedAtStop = load.acknowledged.size;
      // At least 20 s of outage, and long enough for 50 bets to be accepted without PostgreSQL.
      await sleep(20_000);
      await waitFor("50 bets accepted during the outage", async () => load.acknowledged.size >= acknowledgedAtStop + 50, 60_000);
      const acceptedDuringOutage = load.acknowledged.size - acknowledgedAtStop;
      const depthDuringOutage = await queueDepth();
      await startPostgres(profiles.test);
      await load.stop();
      expect(acceptedDuringOutage).toBeGreaterThanOrEqual(50);
      expect(depthDuringOutage).toBeGreaterThan(0);
      const result = await expectExactlyOnce(db, load, people, DEPOSIT);
      expect(result.problems).toEqual([]);
      await waitFor("the queue drained", async () => (await queueDepth()) === 0, 60_000);
      console.info(
        `PostgreSQL down 20 s: ${acceptedDuringOutage} bets accepted during the outage (queue depth ${depthDuringOutage}), ${result.bets} in all, each exactly once`,
      );
    },
  );
});

describe("flusher lease and fencing", () => {
  // A partition beyond the configured count, so the stack's own worker never touches it.
  const partition = partitions + 90;

  /** Drops the test partition, and brings the Redis wallets of bets written straight into its log back in line. */
  async function resetPartition(people: { id: string }[]) {
    await alignRedisWallets(db, redis, people);
    await redis.del(
      logKeys.stream(partition),
      logKeys.fence(partition),
      logKeys.stats(partition),
      ...people.map((p) => logKeys.pending(partition, p.id)),
      ...people.map((p) => walletKeys.wallet(partition, p.id)),
    );
    await db.delete(writeBehindPartitions).where(eq(writeBehindPartitions.partition, partition));
  }

  // On a Cluster the flusher's blocking reader may still reach a replaced primary (paused, then back for a moment),
  // whose stream holds entries no replica ever got. Seen in a fault run: such an entry reached PostgreSQL, and the
  // bettor's retry, accepted again by the new primary, was then refused as a duplicate key. Here the reader is a
  // connection to another database of the same server: what only it sees must never be flushed.
  it.runIf(!process.env.REDIS_CLUSTER_NODES)(
    "a flusher flushes only what the primary holds, never what its blocking reader alone sees (a replaced primary)",
    async () => {
      const [person] = await bettors(1);
      const [seenByReaderOnly, onPrimary] = [randomUUID(), randomUUID()];
      const reader = new Redis(requiredEnv("REDIS_URL"), { db: 1 });
      await reader.xadd(logKeys.stream(partition), "1-1", ...betLogEntry(match, seenByReaderOnly, person!.id));
      await redis.xadd(logKeys.stream(partition), "*", ...betLogEntry(match, onPrimary, person!.id));
      const flusher = new PartitionFlusher(
        { db, redis, partitions, config },
        { partition, reader, batchSize: 5, log: logger.child({ test: "reader" }) },
      );
      try {
        flusher.start();
        await waitFor(
          "the primary's entry flushed",
          async () => (await db.select().from(bets).where(eq(bets.id, onPrimary))).length === 1,
          30_000,
        );
      } finally {
        await flusher.stop();
        const other = new Redis(requiredEnv("REDIS_URL"), { db: 1 });
        await other.flushdb();
        other.disconnect();
      }
      expect(await db.select().from(bets).where(eq(bets.id, seenByReaderOnly))).toEqual([]);
      await resetPartition([person!]);
    },
  );

  it("two flushers contending for one partition (its lease taken away again and again) apply the log once, in order, one holder at a time", async () => {
    const people = await bettors(4);
    const entries = 3_000;
    const pipeline = redis.pipeline();
    const ids: string[] = [];
    for (let i = 0; i < entries; i++) {
      const betId = randomUUID();
      ids.push(betId);
      pipeline.xadd(logKeys.stream(partition), "*", ...betLogEntry(match, betId, people[i % people.length]!.id));
    }
    await pipeline.exec();

    const commits: BatchCommitted[] = [];
    const connections = [createDatabase(requiredEnv("DATABASE_URL"), { max: 2 }), createDatabase(requiredEnv("DATABASE_URL"), { max: 2 })];
    const flushers = connections.map(
      ({ db: own }, i) =>
        new PartitionFlusher(
          { db: own, redis: redis.duplicate(), partitions, config },
          {
            partition,
            reader: redis.duplicate(),
            batchSize: 5,
            log: logger.child({ test: "fencing" }),
            processId: `test${i}`,
            onBatchCommitted: (c) => commits.push(c),
          },
        ),
    );
    try {
      flushers[0]!.start();
      await waitFor("the first flusher flushing", async () => commits.length > 0, 10_000);
      flushers[1]!.start();
      // Take the lease away from whoever holds it, again and again (whoever asks first takes over), at least ten
      // times and until both flushers have committed batches.
      const holderCount = () => new Set(commits.map((c) => c.flusher)).size;
      for (let i = 0; i < 10 || (holderCount() < 2 && i < 200); i++) {
        await redis.del(logKeys.lease(partition));
        await sleep(300);
      }
      await waitFor(
        "the partition drained",
        async () =>
          (
            await db
              .select({ n: sql<number>`count(*)::int` })
              .from(bets)
              .where(inArray(bets.id, ids))
          )[0]!.n === entries,
        60_000,
      );
    } finally {
      await Promise.all(flushers.map((f) => f.stop()));
      await Promise.all(connections.map((c) => c.client.end({ timeout: 5 })));
    }

    const holders = new Set(commits.map((c) => c.flusher));
    expect(holders.size).toBe(2);
    // In log order, batches are contiguous and never overlap, and each takeover brings a newer fencing token:
    // no two holders ever applied the same part of the log.
    const inOrder = [...commits].sort((a, b) => compareStreamIds(a.first, b.first));
    for (let i = 1; i < inOrder.length; i++) {
      const [before, after] = [inOrder[i - 1]!, inOrder[i]!];
      expect(compareStreamIds(after.first, before.last)).toBeGreaterThan(0);
      expect(after.token).toBeGreaterThanOrEqual(before.token);
      if (after.flusher !== before.flusher) expect(after.token).toBeGreaterThan(before.token);
    }
    expect(inOrder.reduce((sum, c) => sum + c.entries, 0)).toBe(entries);
    expect(inOrder.reduce((sum, c) => sum + c.inserted, 0)).toBe(entries);
    const [cursor] = await db.select().from(writeBehindPartitions).where(eq(writeBehindPartitions.partition, partition));
    expect(cursor!.lastStreamId).toBe(inOrder.at(-1)!.last);

    await resetPartition(people);
  });
});
