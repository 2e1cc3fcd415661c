import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { RedisClient } from "@/server/platform/redis";
import { outbox } from "@/drizzle/schema";
import type { Deps } from "@/server/deps";
import type { Database } from "@/server/platform/db";
import { Lease } from "@/server/platform/lease";
import { LuaScript } from "@/server/platform/lua-script";
import type { Logger } from "@/server/platform/logger";
import type { OutboxHandler } from "./events";
import { OUTBOX_CHANNEL } from "./enqueue";
import { globalKeys } from "@/server/platform/redis-keys";
import { replicationPolicy, waitForReplicas, type ReplicationPolicy } from "@/server/platform/replication";

const LEASE_KEY = globalKeys.relayLease;
const LEASE_MS = 5_000;
const RENEW_EVERY_MS = 1_000;
const POLL_EVERY_MS = 1_000;
const BATCH_SIZE = 200;
// After this many failed attempts a row is parked for a person to look at; the relay moves on.
const MAX_ATTEMPTS = 8;

// Fencing: a relay that lost its lease (paused, partitioned) can no longer publish.
const publishFenced = new LuaScript<number>(
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PUBLISH', ARGV[2], ARGV[3]) else return -1 end`,
);

class LeaseLostError extends Error {}

/**
 * Rows in id order, cut into steps the relay applies one after another. A run of rows of one commuting topic
 * (e.g. wallet credits, each applied once by its ledger entry, in any order) is one step applied at once: the Redis
 * scripts pipeline and share an AOF fsync, which matters when a payout writes a credit per winning bet. Every
 * other row is a step alone.
 */
function inSteps(rows: Row[], handlers: Map<string, OutboxHandler>): Row[][] {
  const steps: Row[][] = [];
  for (const row of rows) {
    const last = steps.at(-1);
    if (handlers.get(row.topic)?.commutes && last?.[0]?.topic === row.topic) last.push(row);
    else steps.push([row]);
  }
  return steps;
}

type Row = typeof outbox.$inferSelect;

/**
 * Publishes outbox rows in id order, at least once. One relay holds the lease at a time; each row goes to the
 * handler its domain registered for the topic (which puts it in effect, e.g. live state in Redis conditional on
 * version, then may publish a notification), then is marked. A crash between the two applies and publishes
 * again: handlers are idempotent and subscribers apply by version, so twice is the same as once. The relay knows
 * no domain: a new topic is a new handler, registered where the worker is composed.
 */
export class OutboxRelay {
  readonly id = `relay-${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly lease: Lease;
  private isRunning = false;
  private isLeader = false;
  private needsLeaderSync = false;
  private readonly handlers: Map<string, OutboxHandler>;
  private wake: () => void = () => {};
  private timers: NodeJS.Timeout[] = [];
  private unlisten: (() => Promise<void>) | undefined;

  private readonly db: Database;
  private readonly redis: RedisClient;
  private readonly replication: ReplicationPolicy;
  private readonly log: Logger;
  // Run on taking the lease: a new leader cannot know what happened to Redis while it was not leading.
  private readonly onLeadership: () => Promise<void>;

  constructor(
    deps: Pick<Deps, "db" | "redis" | "config">,
    { log, handlers, onLeadership = async () => {} }: { log: Logger; handlers: OutboxHandler[]; onLeadership?: () => Promise<void> },
  ) {
    this.db = deps.db;
    this.redis = deps.redis;
    this.replication = replicationPolicy(deps.config);
    this.log = log;
    this.onLeadership = onLeadership;
    this.lease = new Lease(this.redis, LEASE_KEY, this.id, LEASE_MS);
    this.handlers = new Map(handlers.map((h) => [h.event.topic, h]));
  }

  async start(): Promise<void> {
    this.isRunning = true;
    const listener = await this.db.$client.listen(OUTBOX_CHANNEL, () => this.wake());
    this.unlisten = () => listener.unlisten();
    await this.holdLease();
    this.timers.push(setInterval(() => void this.holdLease(), RENEW_EVERY_MS));
    void this.loop();
  }

  async stop(): Promise<void> {
    this.isRunning = false;
    this.timers.forEach(clearInterval);
    this.wake();
    await this.unlisten?.();
    if (this.isLeader) await this.lease.release();
  }

  private async holdLease() {
    try {
      const wasLeader = this.isLeader;
      this.isLeader = (await this.lease.hold()) !== "taken";
      if (this.isLeader !== wasLeader) {
        if (this.isLeader) this.needsLeaderSync = true;
        this.log.info(
          { relay: this.id, isLeader: this.isLeader },
          this.isLeader ? "outbox relay took the lease" : "outbox relay lost the lease",
        );
        this.wake();
      }
    } catch (error) {
      this.isLeader = false;
      this.log.warn({ err: error }, "outbox relay could not renew its lease");
    }
  }

  private async loop() {
    let failures = 0;
    while (this.isRunning) {
      let published = 0;
      if (this.isLeader) {
        try {
          if (this.needsLeaderSync) {
            await this.onLeadership();
            this.needsLeaderSync = false;
          }
          published = await this.publishBatch();
          failures = 0;
        } catch (error) {
          failures++;
          if (!(error instanceof LeaseLostError))
            this.log.error({ err: error, failures }, "outbox relay batch failed; retrying the same rows");
          await this.sleep(Math.min(30_000, 100 * 2 ** failures));
          continue;
        }
      }
      if (published === 0) await this.sleep(POLL_EVERY_MS);
    }
  }

  private sleep(ms: number) {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** One batch in id order; stops at the first failed step so later events never overtake an earlier one. */
  async publishBatch(): Promise<number> {
    const rows = await this.db
      .select()
      .from(outbox)
      .where(and(isNull(outbox.publishedAt), isNull(outbox.parkedAt)))
      .orderBy(asc(outbox.id))
      .limit(BATCH_SIZE);
    const done: number[] = [];
    try {
      for (const step of inSteps(rows, this.handlers)) {
        const outcomes = await Promise.allSettled(step.map((row) => this.publish(row)));
        let failure: unknown = null;
        for (const [i, outcome] of outcomes.entries()) {
          if (outcome.status === "fulfilled") {
            done.push(step[i]!.id);
            continue;
          }
          if (outcome.reason instanceof LeaseLostError) throw outcome.reason;
          // A parked row is out of the way: the rows behind it go on at once.
          if (!(await this.recordFailure(step[i]!, outcome.reason))) failure ??= outcome.reason;
        }
        if (failure) throw failure;
      }
    } finally {
      if (done.length > 0) {
        // What the handlers did to Redis must survive a failover before the rows say it is done: else a credit
        // lost with a primary would never be applied again.
        if (!(await waitForReplicas(this.redis, this.replication))) throw new Error("the replicas have not confirmed the batch yet");
        await this.db
          .update(outbox)
          .set({ publishedAt: sql`now()`, attempts: sql`${outbox.attempts} + 1`, lastError: null })
          .where(inArray(outbox.id, done));
      }
    }
    return done.length;
  }

  private async publish(row: Row) {
    const handler = this.handlers.get(row.topic);
    if (!handler) throw new Error(`no handler for outbox topic "${row.topic}"`);
    await handler.apply(handler.event.payload.parse(row.payload), {
      // Written inside the change's own transaction, a moment before its commit.
      committedAt: row.createdAt.getTime(),
      publish: async (channel, message) => {
        if ((await publishFenced.run(this.redis, [LEASE_KEY], [this.id, channel, JSON.stringify(message)])) < 0) {
          this.isLeader = false;
          throw new LeaseLostError("lease lost before publishing");
        }
      },
    });
  }

  /** Returns whether the row is now parked. */
  private async recordFailure(row: Row, error: unknown): Promise<boolean> {
    const attempts = row.attempts + 1;
    const isParked = attempts >= MAX_ATTEMPTS;
    await this.db
      .update(outbox)
      .set({ attempts, lastError: String((error as Error)?.message ?? error).slice(0, 1000), parkedAt: isParked ? sql`now()` : null })
      .where(eq(outbox.id, row.id));
    this.log.error({ err: error, outboxId: row.id, attempts, isParked }, isParked ? "outbox row parked" : "outbox row failed");
    return isParked;
  }
}
