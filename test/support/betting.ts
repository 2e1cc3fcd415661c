import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { accounts, bets, ledgerEntries } from "@/drizzle/schema";
import { waitFor } from "@/scripts/lib/run";
import type { MatchDto } from "@/server/catalog/match-root";
import { formatOdds } from "@/server/odds.shared";
import { getConfig } from "@/server/config";
import type { Database } from "@/server/platform/db";
import { partitionOfUser } from "@/server/platform/partitions";
import type { RedisClient } from "@/server/platform/redis";
import { walletKeys } from "@/server/platform/redis-keys";
import { newBettor, signedIn, type ApiClient } from "./api-client";

let staff: Promise<ApiClient> | undefined;
export const staffClient = () => (staff ??= signedIn("staff@example.com"));

/** A fresh bettor with `amount` deposited, once the deposit has reached their Redis wallet. */
export async function fundedBettor(amount: number) {
  const bettor = await newBettor();
  if (amount > 0) {
    const res = await bettor.client.post("/api/wallet/deposits", { amount, idempotencyKey: randomUUID() });
    if (res.status !== 201) throw new Error(`deposit failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  await waitFor("the deposit in the Redis wallet", async () => (await bettor.client.get("/api/wallet")).body.available === amount, 15_000);
  return bettor;
}

/**
 * A new open match of its own (so tests never share prices or status), with any extra markets (API.md's
 * `markets`), once bets can be placed on it.
 */
export async function openMatch(odds = { home: "2.10", draw: "3.40", away: "3.60" }, markets: object[] = []): Promise<MatchDto> {
  const admin = await staffClient();
  const res = await admin.post("/api/admin/matches", {
    sport: "Football",
    competition: "Test League",
    home: `Home ${randomUUID().slice(0, 6)}`,
    away: `Away ${randomUUID().slice(0, 6)}`,
    startsAt: new Date(Date.now() + 86_400_000).toISOString(),
    odds,
    ...(markets.length > 0 ? { markets } : {}),
  });
  if (res.status !== 201) throw new Error(`create match failed: ${res.status} ${JSON.stringify(res.body)}`);
  const match = res.body as MatchDto;
  // The relay copies the new match into the live state; an unfunded bettor's bet reaching the balance check
  // (INSUFFICIENT_FUNDS rather than NOT_FOUND) shows it is there.
  const probe = await newBettor();
  const selectionId = match.markets[0]!.selections[0]!.id;
  await waitFor(
    "the new match in the live state",
    async () =>
      (await probe.client.post("/api/bets", betBody(selectionId, 100, match.markets[0]!.selections[0]!.odds))).body?.error?.code ===
      "INSUFFICIENT_FUNDS",
    15_000,
  );
  return match;
}

export function betBody(
  selectionId: string,
  stake: number,
  odds: string,
  extra: { idempotencyKey?: string; acceptOddsChanges?: "none" | "higher" | "any" } = {},
) {
  return {
    selectionId,
    stake,
    odds,
    idempotencyKey: extra.idempotencyKey ?? randomUUID(),
    ...(extra.acceptOddsChanges ? { acceptOddsChanges: extra.acceptOddsChanges } : {}),
  };
}

/** Waits until every bet id is in PostgreSQL; returns their rows. */
export async function waitUntilRecorded(db: Database, ids: string[], timeoutMs = 60_000) {
  if (ids.length === 0) return [];
  await waitFor(
    `${ids.length} bets in PostgreSQL`,
    async () => {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(bets)
        .where(inArray(bets.id, ids));
      return row!.n === ids.length;
    },
    timeoutMs,
  );
  return db.select().from(bets).where(inArray(bets.id, ids));
}

type Acknowledged = { userId: string; selectionId: string; stake: number; odds: string };

/**
 * Bettors placing bets one after another until stopped. A request without a definitive answer (5xx, connection
 * error) is retried with the same idempotency key until it gets one, so every bet is either acknowledged (201, or
 * 200 for a retry of one that was) or refused: nothing is left in doubt for the checks.
 */
export class BetLoad {
  readonly acknowledged = new Map<string, Acknowledged>();
  refused = 0;
  retried = 0;
  private isRunning = true;
  private readonly loops: Promise<void>[];

  constructor(bettors: { client: ApiClient; id: string }[], selection: { id: string; odds: string }) {
    this.loops = bettors.map(async ({ client, id: userId }, i) => {
      for (let n = 0; this.isRunning; n++) {
        const body = betBody(selection.id, 100 + ((i + n) % 50), selection.odds, { acceptOddsChanges: "any" });
        for (;;) {
          const res = await client.post("/api/bets", body).catch(() => ({ status: 0, body: null }));
          if (res.status === 201 || res.status === 200) {
            this.acknowledged.set(res.body.bet.id, { userId, selectionId: selection.id, stake: body.stake, odds: res.body.bet.odds });
            break;
          }
          if (res.status >= 400 && res.status < 500) {
            this.refused++;
            // Over the per-bettor rate limit: pause instead of spinning on refusals.
            if (res.status === 429) await new Promise((r) => setTimeout(r, 200));
            break;
          }
          this.retried++;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    });
  }

  async stop() {
    this.isRunning = false;
    await Promise.all(this.loops);
  }
}

/**
 * I1 and I2 for a load's bettors: every acknowledged bet is in PostgreSQL exactly once with its user, stake and
 * odds, nothing else is, each has exactly one STAKE debit, and each balance is its deposits minus its stakes.
 */
export async function expectExactlyOnce(db: Database, load: BetLoad, bettors: { id: string }[], deposited: number) {
  const ids = [...load.acknowledged.keys()];
  await waitUntilRecorded(db, ids, 120_000);
  const userIds = bettors.map((b) => b.id);
  const rows = await db.select().from(bets).where(inArray(bets.userId, userIds));
  const problems: string[] = [];
  if (rows.length !== ids.length) problems.push(`${rows.length} bets in PostgreSQL for ${ids.length} acknowledged`);
  for (const row of rows) {
    const ack = load.acknowledged.get(row.id);
    if (!ack) problems.push(`bet ${row.id} was never acknowledged`);
    else if (ack.userId !== row.userId || ack.stake !== row.stake || ack.odds !== formatOdds(row.odds))
      problems.push(`bet ${row.id} differs from its acknowledgement`);
  }
  const [debits] = await db
    .select({ n: sql<number>`count(*)::int`, distinct: sql<number>`count(distinct ${ledgerEntries.reference})::int` })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.kind, "STAKE"), inArray(ledgerEntries.reference, ids)));
  if (debits!.n !== ids.length || debits!.distinct !== ids.length) problems.push(`${debits!.n} STAKE debits for ${ids.length} bets`);
  const balances = await db
    .select({ userId: accounts.userId, balance: accounts.balance })
    .from(accounts)
    .where(and(inArray(accounts.userId, userIds), eq(accounts.kind, "CUSTOMER")));
  for (const { userId, balance } of balances) {
    const staked = rows.filter((r) => r.userId === userId).reduce((sum, r) => sum + r.stake, 0);
    if (balance !== deposited - staked) problems.push(`user ${userId}: balance ${balance}, expected ${deposited - staked}`);
  }
  return { bets: ids.length, problems };
}

/** A bet's log entry as the acceptance script writes it, for tests that write straight into a stream (no wallet). */
export const betLogEntry = (match: MatchDto, betId: string, userId: string) => [
  ...["type", "bet", "betId", betId, "userId", userId, "selectionId", match.markets[0]!.selections[0]!.id, "matchId", match.id],
  ...["stake", "100", "odds", "210", "idempotencyKey", `direct-${betId}`],
];

/**
 * Bets written straight into a log bypassed the bettors' Redis wallets: sets each wallet to the PostgreSQL balance,
 * nothing pending, so the drift checks of later tests stay meaningful.
 */
export async function alignRedisWallets(db: Database, redis: RedisClient, people: { id: string }[]) {
  const partitions = getConfig({ ...process.env }).WRITE_BEHIND_PARTITIONS;
  for (const { id } of people) {
    const [balance] = await db.execute<{ balance: number }>(sql`select balance from accounts where user_id = ${id} and kind = 'CUSTOMER'`);
    await redis.hset(walletKeys.wallet(partitionOfUser(id, partitions), id), "available", Number(balance!.balance), "pending", 0);
  }
}
