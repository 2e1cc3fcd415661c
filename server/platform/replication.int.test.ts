import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { bets, outbox } from "@/drizzle/schema";
import { walletEvents } from "@/server/wallet/events";
import { startNode } from "@/scripts/lib/local-redis";
import { dataDir, profiles } from "@/scripts/lib/local-services";
import { waitFor } from "@/scripts/lib/run";
import { requiredEnv } from "@/test/support/api-client";
import { betBody, fundedBettor, openMatch, waitUntilRecorded } from "@/test/support/betting";
import { connectTestDatabase } from "@/test/support/database";
import { findReplicationProblems } from "./replication";

const db = connectTestDatabase();
const redis = new Redis(requiredEnv("REDIS_URL"));
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
