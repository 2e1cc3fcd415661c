import { randomUUID } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import type { RedisClient } from "@/server/platform/redis";
import type { Deps } from "@/server/deps";
import type { Database, DbOrTx } from "@/server/platform/db";
import { Lease } from "@/server/platform/lease";
import { LuaScript } from "@/server/platform/lua-script";
import { partitionTag } from "@/server/platform/partitions";
import { replicatedScripts, type ReplicatedScripts } from "@/server/platform/replication";
import type { Logger } from "@/server/platform/logger";
import { applyCompletionMarkers } from "@/server/lifecycle/completion-markers";
import { isPermanentRefusal, quarantinedAmong, quarantineEntry, refusalReason, UnreadableEntryError } from "./quarantine";
import { loggedBetsWith, recordCashOuts, recordLoggedBets } from "./record-bets";
import { parseEntries, type LoggedBet, type LoggedCashOut, type StreamEntry } from "./write-behind-log";
import { logKeys, walletKeys } from "@/server/platform/redis-keys";

const LEASE_MS = 5_000;
const RENEW_EVERY_MS = 1_000;
const BLOCK_MS = 1_000;
const RATE_WINDOW_MS = 10_000;

const raiseFence = new LuaScript(
  `if tonumber(redis.call('GET', KEYS[1]) or '0') < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end`,
);

export type BatchCommitted = {
  partition: number;
  flusher: string;
  token: number;
  first: string;
  last: string;
  entries: number;
  inserted: number;
  startedAt: number;
  committedAt: number;
};

class FencedOutError extends Error {}

/**
 * The next batch after the cursor, read by the same script that writes a small mark after it, so the WAIT that
 * follows on the same connection covers the entries returned (on Redis 7.0 a read alone would move the WAIT offset
 * too, on 7.2 only a write does). KEYS: stream, stats. ARGV: cursor, now, batch size.
 */
const readBatch = new LuaScript<StreamEntry[]>(`
redis.call('HSET', KEYS[2], 'replicationCheckedAt', ARGV[2])
return redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', ARGV[3])
`);

// What a committed batch acknowledges in Redis.
type Flushed = { bets: LoggedBet[]; cashOuts: LoggedCashOut[] };

type FlusherOptions = { batchSize: number; log: Logger; processId?: string; onBatchCommitted?: (batch: BatchCommitted) => void };

/**
 * After commit: forget the flushed bets' reservations (once: only if still pending), take the flushed cash-outs
 * out of `cashingOut` (once: only if their entry was still there) and delete the entries. Idempotent, so a replay
 * after a crash between commit and this step is harmless.
 * KEYS: stream, stats, then (wallet, pending) per bet, then the wallet per cash-out. ARGV: last id, rate, bet count,
 * then (bet id, stake) per bet, then the cash-out count, then (entry id, amount) per cash-out, then the entry ids.
 */
const acknowledgeFlushed = new LuaScript<number>(`
local bets = tonumber(ARGV[3])
for i = 1, bets do
  local wallet, pending = KEYS[1 + 2 * i], KEYS[2 + 2 * i]
  if redis.call('HDEL', pending, ARGV[2 + 2 * i]) == 1 then redis.call('HINCRBY', wallet, 'pending', -tonumber(ARGV[3 + 2 * i])) end
end
local at = 4 + 2 * bets
local cashOuts = tonumber(ARGV[at])
for i = 1, cashOuts do
  if redis.call('XDEL', KEYS[1], ARGV[at + 2 * i - 1]) == 1 then
    redis.call('HINCRBY', KEYS[2 + 2 * bets + i], 'cashingOut', -tonumber(ARGV[at + 2 * i]))
  end
end
for i = at + 2 * cashOuts + 1, #ARGV do redis.call('XDEL', KEYS[1], ARGV[i]) end
redis.call('HSET', KEYS[2], 'lastFlushedId', ARGV[1], 'flushedPerSec', ARGV[2], 'updatedAt', redis.call('TIME')[1])
return bets
`);

/**
 * Drains one partition's log into PostgreSQL, exactly once. Only the holder of the partition's lease flushes,
 * and every batch commits only if PostgreSQL still records this flusher's fencing token and the cursor it read
 * from: a flusher that was paused past its lease can neither overwrite nor repeat its successor's work.
 * A batch that fails is retried as it is, in order, until it commits: the log blocks rather than skips. The one
 * exception is an entry PostgreSQL refuses for good (I9): the batch is halved until that entry is alone, then it is
 * quarantined (see quarantine.ts) and the partition flows on, so no single entry can stop it.
 */
export class PartitionFlusher {
  readonly id: string;
  private readonly lease: Lease;
  private token = 0;
  private cursor = "0-0";
  private isHolding = false;
  private needsAcknowledge = false;
  private isRunning = false;
  private renewTimer: NodeJS.Timeout | undefined;
  private recent: { at: number; count: number }[] = [];
  private stopped: Promise<void> = Promise.resolve();

  readonly partition: number;
  private readonly db: Database;
  private readonly redis: RedisClient;
  private readonly partitions: number;
  private readonly replicated: ReplicatedScripts;
  // Blocking reads (XREAD BLOCK) hold a connection: each flusher has its own.
  private readonly reader: RedisClient;
  private readonly options: FlusherOptions;

  constructor(
    deps: Pick<Deps, "db" | "redis" | "partitions" | "config">,
    { partition, reader, ...options }: { partition: number; reader: RedisClient } & FlusherOptions,
  ) {
    this.db = deps.db;
    this.redis = deps.redis;
    this.partitions = deps.partitions;
    this.replicated = replicatedScripts(deps.redis, deps.config);
    this.partition = partition;
    this.reader = reader;
    this.options = options;
    this.id = `flusher-${options.processId ?? `${process.pid}-${randomUUID().slice(0, 8)}`}-p${partition}`;
    this.lease = new Lease(this.redis, logKeys.lease(partition), this.id, LEASE_MS);
  }

  start(): void {
    this.isRunning = true;
    this.renewTimer = setInterval(() => void this.renew(), RENEW_EVERY_MS);
    this.stopped = this.loop();
  }

  async stop(): Promise<void> {
    this.isRunning = false;
    clearInterval(this.renewTimer);
    this.reader.disconnect();
    await this.stopped;
    if (this.isHolding) await this.lease.release().catch(() => {});
  }

  private async renew() {
    if (!this.isHolding) return;
    try {
      if ((await this.lease.hold()) === "taken") this.loseLease("lease taken by another flusher");
    } catch (error) {
      this.loseLease(`lease not renewed: ${(error as Error).message}`);
    }
  }

  private loseLease(reason: string) {
    if (!this.isHolding) return;
    this.isHolding = false;
    this.options.log.warn({ flusher: this.id, partition: this.partition, reason }, "flusher stepped down");
  }

  /** Takes the lease and a fencing token newer than any PostgreSQL has seen, and loads the cursor. */
  private async acquire(): Promise<boolean> {
    if ((await this.lease.hold()) === "taken") return false;
    let token = await this.redis.incr(logKeys.fence(this.partition));
    const [claimed] = await this.db.execute<{ last_stream_id: string; fencing_token: number }>(sql`
      insert into write_behind_partitions as w (partition, fencing_token) values (${this.partition}, ${token})
      on conflict (partition) do update set fencing_token = greatest(w.fencing_token + 1, excluded.fencing_token), updated_at = now()
      returning last_stream_id, fencing_token`);
    token = Number(claimed!.fencing_token);
    // Redis may have lost its counter (a wiped instance): keep it ahead of PostgreSQL's.
    await raiseFence.run(this.redis, [logKeys.fence(this.partition)], [token]);
    this.token = token;
    this.cursor = claimed!.last_stream_id;
    this.isHolding = true;
    this.needsAcknowledge = true;
    this.options.log.info({ flusher: this.id, partition: this.partition, token, cursor: this.cursor }, "flusher took the partition");
    return true;
  }

  /** Entries a previous holder committed but did not acknowledge (it crashed in between) are acknowledged now. */
  private async acknowledgeCommitted() {
    for (;;) {
      const entries = (await this.redis.xrange(
        logKeys.stream(this.partition),
        "-",
        this.cursor,
        "COUNT",
        this.options.batchSize,
      )) as StreamEntry[];
      if (entries.length === 0) return;
      const quarantined = await quarantinedAmong(
        this.db,
        this.partition,
        entries.map(([id]) => id),
      );
      const { bets, cashOuts } = parseEntries(entries);
      const notQuarantined = (e: { streamId: string }) => !quarantined.has(e.streamId);
      await this.acknowledge(entries, { bets: bets.filter(notQuarantined), cashOuts: cashOuts.filter(notQuarantined) });
    }
  }

  private async loop() {
    let batch: StreamEntry[] = [];
    // Entries read but set aside while a refused batch is split; they come next, before anything newer.
    let rest: StreamEntry[] = [];
    // Set when `batch` is one entry PostgreSQL refused for good: the next attempt quarantines it.
    let refusal: unknown;
    let failures = 0;
    while (this.isRunning) {
      try {
        if (!this.isHolding) {
          batch = [];
          rest = [];
          refusal = undefined;
          if (!(await this.acquire())) {
            await sleep(RENEW_EVERY_MS);
            continue;
          }
        }
        if (this.needsAcknowledge) {
          await this.acknowledgeCommitted();
          this.needsAcknowledge = false;
        }
        if (batch.length === 0) {
          batch = rest.length > 0 ? rest : await this.read();
          rest = [];
        }
        if (batch.length === 0) {
          await this.writeStats();
          await this.waitForEntries();
          continue;
        }
        const flushed = refusal === undefined ? await this.commit(batch) : await this.quarantine(batch[0]!, refusal);
        const committed = batch;
        batch = [];
        refusal = undefined;
        failures = 0;
        try {
          await this.acknowledge(committed, flushed);
        } catch (error) {
          // Committed: never flushed again; acknowledged from the stream before the next batch instead.
          this.needsAcknowledge = true;
          throw error;
        }
      } catch (error) {
        if (!this.isRunning) break;
        if (error instanceof FencedOutError) {
          this.loseLease(error.message);
          continue;
        }
        if (refusal === undefined && isPermanentRefusal(error)) {
          this.options.log.warn(
            { reason: refusalReason(error), flusher: this.id, partition: this.partition, entries: batch.length },
            "PostgreSQL refused the batch for good; splitting it",
          );
          if (batch.length > 1) {
            const half = Math.ceil(batch.length / 2);
            rest = [...batch.slice(half), ...rest];
            batch = batch.slice(0, half);
          } else {
            refusal = error;
          }
          continue;
        }
        failures++;
        this.options.log.error(
          { err: error, flusher: this.id, partition: this.partition, failures },
          "flush failed; retrying the same batch",
        );
        await sleep(Math.min(5_000, 50 * 2 ** failures));
      }
    }
  }

  /**
   * The next batch, only once the replicas hold it: PostgreSQL never gets a bet a failover could lose, and the
   * cursor never passes stream ids a promoted replica would hand out again. The entries come from the node the WAIT
   * runs on, never from the blocking reader: on a Cluster the reader may still see a primary that was replaced (a
   * paused one that came back), and what it took while cut off exists nowhere else.
   */
  private async read(): Promise<StreamEntry[]> {
    const keys = [logKeys.stream(this.partition), logKeys.stats(this.partition)];
    const { reply, replicated } = await this.replicated.run(partitionTag(this.partition), readBatch, keys, [
      this.cursor,
      Date.now(),
      this.options.batchSize,
    ]);
    if (!replicated) throw new Error("the replicas have not confirmed the entries read yet; not flushing them");
    return reply;
  }

  /** Until an entry may have arrived after the cursor: a blocking read on the flusher's own connection, as a wake-up. */
  private async waitForEntries(): Promise<void> {
    await this.reader.xread("COUNT", 1, "BLOCK", BLOCK_MS, "STREAMS", logKeys.stream(this.partition), this.cursor);
  }

  /** One PostgreSQL transaction for the batch; returns its bets once committed. */
  private async commit(entries: StreamEntry[]): Promise<Flushed> {
    const startedAt = Date.now();
    const { bets, cashOuts, markers, unreadable } = parseEntries(entries);
    if (unreadable.length > 0) throw new UnreadableEntryError(`unknown write-behind entry type at ${unreadable.join(", ")}`);
    const first = entries[0]![0];
    const last = entries.at(-1)![0];
    const inserted =
      cashOuts.length === 0 && markers.length === 0
        ? await this.commitBets(last, entries.length, bets)
        : await this.db.transaction(async (tx) => {
            await this.moveCursor(tx, last, entries.length);
            const debited = await recordLoggedBets(tx, this.partition, bets);
            // Cash-outs after the bets: a bet and its cash-out may be in the same batch, in that order.
            await recordCashOuts(tx, cashOuts);
            // Markers after the bets: every bet logged before a marker is in this transaction or an earlier one.
            await applyCompletionMarkers(tx, this.partition, this.partitions, markers);
            return debited;
          });
    this.cursor = last;
    const committedAt = Date.now();
    this.recent.push({ at: committedAt, count: bets.length });
    this.options.onBatchCommitted?.({
      partition: this.partition,
      flusher: this.id,
      token: this.token,
      first,
      last,
      entries: entries.length,
      inserted,
      startedAt,
      committedAt,
    });
    return { bets, cashOuts };
  }

  /** Moves the cursor past one refused entry and sets it aside, in one transaction; its stake stays reserved. */
  private async quarantine(entry: StreamEntry, refusal: unknown): Promise<Flushed> {
    await this.db.transaction(async (tx) => {
      await this.moveCursor(tx, entry[0], 1);
      await quarantineEntry(tx, this.partition, entry, refusal);
    });
    this.cursor = entry[0];
    this.options.log.error(
      { reason: refusalReason(refusal), flusher: this.id, partition: this.partition, streamId: entry[0] },
      "log entry quarantined; the partition flows on",
    );
    return { bets: [], cashOuts: [] };
  }

  /**
   * A batch of bets alone, the usual batch: one statement, committed on its own (no explicit transaction), moves the
   * cursor and writes the bets, or does neither. The ledger's balance update locks the one STAKES account that every
   * flusher credits until its commit: as one statement, that lock is not held across a round trip to this process
   * (waiting for it to send COMMIT took longer than the rest of the lock's hold, and the flushers queued behind it).
   */
  private async commitBets(last: string, entries: number, bets: LoggedBet[]): Promise<number> {
    const [result] = (await this.db.execute(
      loggedBetsWith(sql`claimed as (${this.cursorMove(last, entries)}),`, this.partition, bets, "claimed"),
    )) as unknown as [{ debited: number; gated: number }];
    if (result!.gated === 0) throw new FencedOutError("fenced out: another flusher moved the partition on");
    return result!.debited;
  }

  /** Compare-and-set on the cursor under this flusher's token: a stale or concurrent flusher matches no row. */
  private async moveCursor(tx: DbOrTx, last: string, entries: number) {
    const claimed = await tx.execute(this.cursorMove(last, entries));
    if (claimed.length === 0) throw new FencedOutError("fenced out: another flusher moved the partition on");
  }

  private cursorMove(last: string, entries: number): SQL {
    return sql`
      update write_behind_partitions
      set last_stream_id = ${last}, flushed_count = flushed_count + ${entries}, updated_at = now()
      where partition = ${this.partition} and fencing_token = ${this.token} and last_stream_id = ${this.cursor}
      returning partition`;
  }

  /**
   * Waited for like acceptance: an acknowledgement lost with a failed primary would leave the stakes pending and
   * the entries in the stream for good (the cursor in PostgreSQL is past them). Not confirmed, it is redone
   * (idempotently) before the next batch.
   */
  private async acknowledge(entries: StreamEntry[], { bets, cashOuts }: Flushed) {
    const { replicated } = await this.replicated.run(
      partitionTag(this.partition),
      acknowledgeFlushed,
      [
        logKeys.stream(this.partition),
        logKeys.stats(this.partition),
        ...bets.flatMap((b) => [walletKeys.wallet(this.partition, b.userId), logKeys.pending(this.partition, b.userId)]),
        ...cashOuts.map((c) => walletKeys.wallet(this.partition, c.userId)),
      ],
      [
        this.cursor,
        this.rate(),
        bets.length,
        ...bets.flatMap((b) => [b.betId, b.stake]),
        cashOuts.length,
        ...cashOuts.flatMap((c) => [c.streamId, c.amount]),
        ...entries.map(([id]) => id),
      ],
    );
    if (!replicated) throw new Error("the replicas have not confirmed the acknowledgement yet; it is redone before the next batch");
  }

  /** Bets per second over the last few seconds. */
  private rate(): string {
    const since = Date.now() - RATE_WINDOW_MS;
    this.recent = this.recent.filter((r) => r.at >= since);
    return (this.recent.reduce((sum, r) => sum + r.count, 0) / (RATE_WINDOW_MS / 1000)).toFixed(1);
  }

  private async writeStats() {
    await this.redis.hset(
      logKeys.stats(this.partition),
      "lastFlushedId",
      this.cursor,
      "flushedPerSec",
      this.rate(),
      "updatedAt",
      Math.floor(Date.now() / 1000),
    );
  }
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
