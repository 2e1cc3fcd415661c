import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Redis } from "ioredis";
import { outbox } from "@/drizzle/schema";
import { releaseReservation } from "@/server/betting/quarantine";
import { applyBettingLiveState, applyMatchLiveState, syncLiveState } from "@/server/catalog/live-state";
import { loadMatch } from "@/server/catalog/load-matches";
import { type RootMessage } from "@/server/catalog/root-messages";
import { isListedStatus } from "@/server/catalog/schemas";
import type { Database } from "@/server/platform/db";
import { creditRedisWallet } from "@/server/wallet/redis-wallet";
import { Lease } from "@/server/platform/lease";
import { LuaScript } from "@/server/platform/lua-script";
import type { Logger } from "@/server/platform/logger";
import { outboxEvents } from "./events";
import { OUTBOX_CHANNEL } from "./enqueue";
import { globalKeys, rootChannels } from "@/server/platform/redis-keys";

const LEASE_KEY = globalKeys.relayLease;
const LEASE_MS = 5_000;
const RENEW_EVERY_MS = 1_000;
const POLL_EVERY_MS = 1_000;
const BATCH_SIZE = 200;
// After this many failed attempts a row is parked for a person to look at; the relay moves on.
const MAX_ATTEMPTS = 8;

// Fencing: a relay that lost its lease (paused, partitioned) can no longer publish.
const publishFenced = new LuaScript<number>(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PUBLISH', ARGV[2], ARGV[3]) else return -1 end`);

class LeaseLostError extends Error {}

/**
 * Rows in id order, cut into steps the relay applies one after another. Wallet credits commute (each applies once
 * by its ledger entry, in any order), so a run of them is one step applied at once: the Redis scripts pipeline and
 * share an AOF fsync, which matters when a payout writes a credit per winning bet. Every other row is a step alone.
 */
function inSteps(rows: Row[]): Row[][] {
  const steps: Row[][] = [];
  for (const row of rows) {
    const last = steps.at(-1);
    const isCredit = row.topic === outboxEvents.walletCredited.topic;
    if (isCredit && last?.[0]?.topic === outboxEvents.walletCredited.topic) last.push(row);
    else steps.push([row]);
  }
  return steps;
}

type Row = typeof outbox.$inferSelect;

/**
 * Publishes outbox rows in id order, at least once. One relay holds the lease at a time; each row first updates
 * the live state in Redis (conditional on version), then is published on its root type's channel, then marked.
 * A crash between publish and mark republishes: subscribers apply by version, so twice is the same as once.
 */
export class OutboxRelay {
  readonly id = `relay-${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly lease: Lease;
  private isRunning = false;
  private isLeader = false;
  private needsLiveStateSync = false;
  private wake: () => void = () => {};
  private timers: NodeJS.Timeout[] = [];
  private unlisten: (() => Promise<void>) | undefined;

  constructor(
    private readonly db: Database,
    private readonly redis: Redis,
    private readonly partitions: number,
    private readonly log: Logger,
  ) {
    this.lease = new Lease(redis, LEASE_KEY, this.id, LEASE_MS);
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
        // A new leader cannot know what happened to Redis while it was not leading.
        if (this.isLeader) this.needsLiveStateSync = true;
        this.log.info({ relay: this.id, isLeader: this.isLeader }, this.isLeader ? "outbox relay took the lease" : "outbox relay lost the lease");
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
          if (this.needsLiveStateSync) {
            const synced = await syncLiveState(this.db, this.redis, this.partitions);
            this.needsLiveStateSync = false;
            this.log.info({ matches: synced }, "live state synced from PostgreSQL");
          }
          published = await this.publishBatch();
          failures = 0;
        } catch (error) {
          failures++;
          if (!(error instanceof LeaseLostError)) this.log.error({ err: error, failures }, "outbox relay batch failed; retrying the same rows");
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
      for (const step of inSteps(rows)) {
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
        await this.db
          .update(outbox)
          .set({ publishedAt: sql`now()`, attempts: sql`${outbox.attempts} + 1`, lastError: null })
          .where(inArray(outbox.id, done));
      }
    }
    return done.length;
  }

  private async publish(row: Row) {
    // Written inside the change's own transaction, a moment before its commit.
    const committedAt = row.createdAt.getTime();
    let channel: string;
    let message: RootMessage;
    if (row.topic === outboxEvents.matchChanged.topic || row.topic === outboxEvents.matchSettled.topic) {
      const payload = row.topic === outboxEvents.matchChanged.topic ? outboxEvents.matchChanged.payload.parse(row.payload) : await this.loadSettledMatch(row);
      await applyMatchLiveState(this.redis, this.partitions, payload);
      const { match } = payload;
      channel = rootChannels.match;
      message = { type: "match", matchId: match.id, version: match.version, listed: isListedStatus(match.status), match, committedAt };
    } else if (row.topic === outboxEvents.bettingSwitched.topic) {
      const payload = outboxEvents.bettingSwitched.payload.parse(row.payload);
      await applyBettingLiveState(this.redis, this.partitions, payload);
      channel = rootChannels.betting;
      message = { type: "betting", ...payload, committedAt };
    } else if (row.topic === outboxEvents.walletCredited.topic) {
      // Nobody subscribes to credits: applying them (once per ledger entry) is the whole delivery.
      await creditRedisWallet(this.redis, this.partitions, outboxEvents.walletCredited.payload.parse(row.payload));
      return;
    } else if (row.topic === outboxEvents.reservationReleased.topic) {
      await releaseReservation(this.redis, this.partitions, outboxEvents.reservationReleased.payload.parse(row.payload));
      return;
    } else {
      throw new Error(`no handler for outbox topic "${row.topic}"`);
    }
    if ((await publishFenced.run(this.redis, [LEASE_KEY], [this.id, channel, JSON.stringify(message)])) < 0) {
      this.isLeader = false;
      throw new LeaseLostError("lease lost before publishing");
    }
  }

  // The root as it is now, possibly newer than the settlement: versions keep caches monotonic either way.
  private async loadSettledMatch(row: Row) {
    const { matchId } = outboxEvents.matchSettled.payload.parse(row.payload);
    const match = await loadMatch(this.db, matchId);
    if (!match) throw new Error(`settled match ${matchId} not found`);
    return { match };
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
