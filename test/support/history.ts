import { randomUUID } from "node:crypto";
import { inArray } from "drizzle-orm";
import { accounts, bets, ledgerEntries } from "@/drizzle/schema";
import { compareStreamIds } from "@/server/betting/write-behind-log";
import type { Database } from "@/server/platform/db";
import { partitionOfUser } from "@/server/platform/partitions";
import { readRedisWallet } from "@/server/wallet/redis-wallet";
import { logKeys } from "@/server/platform/redis-keys";
import type { RedisClient } from "@/server/platform/redis";
import { waitFor } from "@/scripts/lib/run";
import type { ApiClient } from "./api-client";
import { betBody, waitUntilRecorded } from "./betting";

/**
 * A history of bet operations as Jepsen records one: every attempt is an `invoke` followed by `ok` (201/200: the
 * bet is acknowledged), `fail` (a 4xx refusal: the bet must not exist) or `info` (503, a dropped connection: the
 * outcome is unknown). An operation is one idempotency key; an `info` one is retried with the same key until it is
 * definite, so every operation ends ok or fail. `checkHistory` judges the history against PostgreSQL and Redis.
 */
export type HistoryEvent = {
  type: "invoke" | "ok" | "fail" | "info";
  bettor: string;
  key: string;
  at: number;
  betId?: string;
  status?: number;
};

type Bettor = { client: ApiClient; id: string };
type Selection = { id: string; odds: string };

export class BetHistory {
  readonly events: HistoryEvent[] = [];
  private isRunning = true;
  private readonly loops: Promise<void>[];

  /** Each bettor places bets one after another (their own order), until stopped. */
  constructor(
    readonly bettors: Bettor[],
    selection: Selection,
    readonly stake = 100,
  ) {
    this.loops = bettors.map(async ({ client, id }) => {
      while (this.isRunning) {
        const body = betBody(selection.id, stake, selection.odds, { idempotencyKey: randomUUID(), acceptOddsChanges: "any" });
        for (;;) {
          this.record({ type: "invoke", bettor: id, key: body.idempotencyKey });
          const res = await client.post("/api/bets", body).catch(() => ({ status: 0, body: null }));
          if (res.status === 201 || res.status === 200) {
            this.record({ type: "ok", bettor: id, key: body.idempotencyKey, betId: res.body.bet.id, status: res.status });
            break;
          }
          if (res.status >= 400 && res.status < 500) {
            this.record({ type: "fail", bettor: id, key: body.idempotencyKey, status: res.status });
            if (res.status === 429) await sleep(200); // the per-bettor rate limit: pause rather than spin
            break;
          }
          this.record({ type: "info", bettor: id, key: body.idempotencyKey, status: res.status });
          await sleep(100);
        }
      }
    });
  }

  private record(event: Omit<HistoryEvent, "at">) {
    this.events.push({ ...event, at: Date.now() });
  }

  count(type: HistoryEvent["type"], since = 0): number {
    return this.events.filter((e) => e.type === type && e.at >= since).length;
  }

  /** Stops invoking new operations; the ones in doubt are retried until definite. */
  async stop(): Promise<void> {
    this.isRunning = false;
    await Promise.all(this.loops);
  }

  summary() {
    const oks = this.events.filter((e) => e.type === "ok");
    return {
      operations: new Set(this.events.map((e) => e.key)).size,
      acknowledged: oks.length,
      refused: this.count("fail"),
      unknown: this.count("info"),
      replayed: oks.filter((e) => e.status === 200).length,
    };
  }
}

/**
 * The checker: every `ok` bet in PostgreSQL exactly once with one STAKE debit, no `fail` operation's key there,
 * `info` either way (each was retried to a definite answer), each bettor's bets in the order they placed them, no
 * negative balance, and money conserved: each bettor's deposit = their PostgreSQL balance + their stakes, and the
 * Redis wallet (available + pending) agrees. Returns the problems found (none is a pass).
 */
export async function checkHistory(
  deps: { db: Database; redis: RedisClient; partitions: number },
  history: BetHistory,
  deposited: number,
): Promise<string[]> {
  const { db } = deps;
  const problems: string[] = [];
  const oks = history.events.filter((e) => e.type === "ok");
  await waitUntilRecorded(db, [...new Set(oks.map((e) => e.betId!))], 120_000);
  const bettorIds = history.bettors.map((b) => b.id);
  const rows = await db.select().from(bets).where(inArray(bets.userId, bettorIds));
  const byKey = new Map<string, typeof rows>();
  for (const row of rows)
    byKey.set(`${row.userId}/${row.idempotencyKey}`, [...(byKey.get(`${row.userId}/${row.idempotencyKey}`) ?? []), row]);

  for (const ok of oks) {
    const found = byKey.get(`${ok.bettor}/${ok.key}`) ?? [];
    if (found.length !== 1 || found[0]!.id !== ok.betId)
      problems.push(`ok ${ok.key}: ${found.length} bets in PostgreSQL (${ok.betId} acknowledged)`);
  }
  const okKeys = new Set(oks.map((e) => `${e.bettor}/${e.key}`));
  for (const fail of history.events.filter((e) => e.type === "fail")) {
    if (!okKeys.has(`${fail.bettor}/${fail.key}`) && byKey.has(`${fail.bettor}/${fail.key}`))
      problems.push(`refused ${fail.key} is in PostgreSQL`);
  }
  for (const [key, found] of byKey)
    if (!okKeys.has(key)) problems.push(`${found.length} bet(s) in PostgreSQL for ${key}, never acknowledged`);

  // Each bettor's operations run one after another: their bets' log order must be the order they were placed.
  for (const bettor of bettorIds) {
    const placed = oks.filter((e) => e.bettor === bettor).map((e) => e.betId!);
    const logged = rows
      .filter((r) => r.userId === bettor)
      .sort((a, b) => compareStreamIds(a.streamId, b.streamId))
      .map((r) => r.id);
    if (placed.join() !== logged.join()) problems.push(`bettor ${bettor}: bets logged in another order than placed`);
  }

  const debits = await db
    .select()
    .from(ledgerEntries)
    .where(
      inArray(
        ledgerEntries.reference,
        rows.map((r) => r.id),
      ),
    );
  const debitsPerBet = new Map<string, number>();
  for (const d of debits) if (d.kind === "STAKE") debitsPerBet.set(d.reference, (debitsPerBet.get(d.reference) ?? 0) + 1);
  for (const row of rows) if (debitsPerBet.get(row.id) !== 1) problems.push(`bet ${row.id}: ${debitsPerBet.get(row.id) ?? 0} STAKE debits`);

  // The flusher releases a reservation just after its commit: wait for the last ones.
  const isSettled = async () =>
    (await Promise.all(bettorIds.map((userId) => readRedisWallet(deps, { userId })))).every((w) => w.pending === 0);
  await waitFor("no stake pending in the Redis wallets", isSettled).catch(async () => {
    for (const userId of bettorIds) {
      const p = partitionOfUser(userId, deps.partitions);
      const pending = Object.keys(await deps.redis.hgetall(logKeys.pending(p, userId)));
      if (pending.length === 0) continue;
      const inPostgres = await db.select({ id: bets.id }).from(bets).where(inArray(bets.id, pending));
      problems.push(
        `bettor ${userId} (p${p}): ${pending.length} bets still pending in Redis, ${inPostgres.length} of them in PostgreSQL (${pending.slice(0, 3).join(", ")})`,
      );
    }
  });
  const balances = await db.select().from(accounts).where(inArray(accounts.userId, bettorIds));
  for (const bettor of bettorIds) {
    const balance = balances.find((a) => a.userId === bettor)?.balance ?? Number.NaN;
    const stakes = rows.filter((r) => r.userId === bettor).reduce((sum, r) => sum + r.stake, 0);
    if (balance < 0) problems.push(`bettor ${bettor}: negative balance ${balance}`);
    if (balance + stakes !== deposited) problems.push(`bettor ${bettor}: balance ${balance} + stakes ${stakes} != deposited ${deposited}`);
    const wallet = await readRedisWallet(deps, { userId: bettor });
    if (wallet.available < 0 || wallet.available + wallet.pending !== balance) {
      problems.push(
        `bettor ${bettor} (partition ${partitionOfUser(bettor, deps.partitions)}): Redis ${JSON.stringify(wallet)}, PostgreSQL ${balance}`,
      );
    }
  }
  return problems;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
