import { eq, sql } from "drizzle-orm";
import { expect } from "vitest";
import type { RedisClient } from "@/server/platform/redis";
import { matches, outbox } from "@/drizzle/schema";
import { run, waitFor } from "@/scripts/lib/run";
import type { Database } from "@/server/platform/db";
import { reconcileWallets } from "@/server/wallet/reconcile-wallets";
import { staffClient } from "./betting";
import { requiredEnv } from "./api-client";

export async function settlementState(db: Database, matchId: string) {
  const [match] = await db.select({ state: matches.settlementState }).from(matches).where(eq(matches.id, matchId));
  return match!.state;
}

/** Closes betting through the API and waits for every partition's completion marker. */
export async function closeUntilComplete(db: Database, matchId: string) {
  const closed = await (await staffClient()).post(`/api/admin/matches/${matchId}/close`);
  expect(closed.status).toBe(200);
  await waitFor("the match COMPLETE", async () => (await settlementState(db, matchId)) === "COMPLETE", 60_000);
}

export async function waitUntilSettled(db: Database, matchId: string) {
  await waitFor("the match SETTLED", async () => (await settlementState(db, matchId)) === "SETTLED", 60_000);
}

/** drizzle/settle-match.sql run as a person would: psql's exit code and what it printed. */
export async function settleWithPsql(matchId: string): Promise<{ exitCode: number; output: string }> {
  try {
    const output = await run(
      process.env.PSQL ?? "psql",
      [requiredEnv("DATABASE_URL"), "-v", `match_id=${matchId}`, "-f", "drizzle/settle-match.sql"],
      { quiet: true },
    );
    return { exitCode: 0, output };
  } catch (error) {
    const { message } = error as Error;
    return { exitCode: Number(/\(exit (\d+)\)/.exec(message)?.[1] ?? -1), output: message };
  }
}

/** Waits until the relay has handled every outbox row (a row parked by another test stays parked). */
export async function waitUntilCreditsApplied(db: Database) {
  await waitFor(
    "the outbox relayed",
    async () =>
      (
        await db
          .select({ n: sql<number>`count(*)::int` })
          .from(outbox)
          .where(sql`${outbox.publishedAt} is null and ${outbox.parkedAt} is null`)
      )[0]!.n === 0,
    30_000,
  );
}

/**
 * I6 from independent sources: deposits - withdrawals (the deposits and withdrawals tables) = customer balances +
 * house result (stake - payout of every settled bet) + stakes in flight (every recorded bet's stake); the ledger's
 * CASH, STAKES and HOUSE accounts agree with those sums.
 */
async function moneyTotals(db: Database) {
  const [row] = await db.execute<Record<string, string>>(sql`
    select
      (select coalesce(sum(amount), 0) from deposits) as deposits,
      (select coalesce(sum(amount), 0) from withdrawals where status = 'RECORDED') as withdrawals,
      (select coalesce(sum(balance), 0) from accounts where kind = 'CUSTOMER') as customers,
      (select coalesce(sum(stake - payout), 0) from bets where status <> 'RECORDED') as house_result,
      (select coalesce(sum(stake), 0) from bets where status = 'RECORDED') as stakes_in_flight,
      (select balance from accounts where kind = 'CASH') as cash_account,
      (select balance from accounts where kind = 'HOUSE') as house_account,
      (select balance from accounts where kind = 'STAKES') as stakes_account`);
  const n = (key: string) => Number(row![key]);
  return {
    deposits: n("deposits"),
    withdrawals: n("withdrawals"),
    customers: n("customers"),
    houseResult: n("house_result"),
    stakesInFlight: n("stakes_in_flight"),
    cashAccount: n("cash_account"),
    houseAccount: n("house_account"),
    stakesAccount: n("stakes_account"),
  };
}

/** I6 at a quiet moment: the sums above agree, and every Redis wallet agrees with PostgreSQL (drift 0). */
export async function expectMoneyConserved(db: Database, redis: RedisClient, partitions: number) {
  const t = await moneyTotals(db);
  expect(t.customers + t.houseResult + t.stakesInFlight).toBe(t.deposits - t.withdrawals);
  expect({ cash: -t.cashAccount, house: t.houseAccount, stakes: t.stakesAccount }).toEqual({
    cash: t.deposits - t.withdrawals,
    house: t.houseResult,
    stakes: t.stakesInFlight,
  });
  const drift = await reconcileWallets({ db, redis, partitions });
  expect(drift.worst).toEqual([]);
  return t;
}
