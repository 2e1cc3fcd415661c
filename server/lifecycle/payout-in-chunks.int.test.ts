import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { auditLog, betLegs, bets, ledgerEntries, matches, outbox, settlementChunks, settlements } from "@/drizzle/schema";
import { waitFor } from "@/scripts/lib/run";
import type { MatchDto } from "@/server/catalog/match-root";
import { getConfig } from "@/server/config";
import { accumulatorReturn, parseOdds } from "@/server/odds.shared";
import { requiredEnv } from "@/test/support/api-client";
import { betBody, fundedBettor, openMatch, staffClient, waitUntilRecorded } from "@/test/support/betting";
import { connectTestDatabase } from "@/test/support/database";
import {
  closeUntilComplete,
  expectMoneyConserved,
  settleWithPsql,
  settlementState,
  waitUntilCreditsApplied,
} from "@/test/support/lifecycle";
import { connectTestRedis } from "@/test/support/redis";

// The payout in chunks (drizzle/sql/settle_match.sql): each chunk its own transaction, resumable after a crash,
// the match row locked only by the first and the last transaction.

const db = connectTestDatabase();
const redis = connectTestRedis();
afterAll(() => redis.disconnect());
const partitions = getConfig({ ...process.env }).WRITE_BEHIND_PARTITIONS;

type PayoutRow = { already_settled: boolean; bets_settled: number | null; won: number | null; payouts: string | null };

/** CALL settle_match on a connection of its own (the procedure commits, so never inside a transaction). */
async function callPayout(matchId: string, chunkSize: number, maxChunks: number | null = null) {
  const sql = postgres(requiredEnv("DATABASE_URL"), { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<PayoutRow[]>`call settle_match(${matchId}, null, ${chunkSize}, ${maxChunks})`;
    return row!;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** A closed, complete match with its result: `singles` bets on it (home wins) and one accumulator with a leg here. */
async function matchToPay(singles: number) {
  const match = await openMatch({ home: "2.15", draw: "3.33", away: "4.07" });
  const other = await openMatch({ home: "1.85", draw: "3.45", away: "4.95" });
  const bettors = await Promise.all(Array.from({ length: singles }, () => fundedBettor(10_000)));
  const ids: string[] = [];
  for (const [i, bettor] of bettors.entries()) {
    const s = match.markets[0]!.selections[i % 3]!;
    const res = await bettor.client.post("/api/bets", betBody(s.id, 333 + i, s.odds));
    expect(res.status).toBe(201);
    ids.push(res.body.bet.id);
  }
  // Home here and home there: the other match's payout decides its leg first, this one the last leg.
  const legs = [match, other].map((m) => m.markets[0]!.selections[0]!);
  const acca = await bettors[0]!.client.post("/api/bets", {
    legs: legs.map((l) => ({ selectionId: l.id, odds: l.odds })),
    stake: 501,
    idempotencyKey: randomUUID(),
  });
  expect(acca.status).toBe(201);
  ids.push(acca.body.bet.id);
  await waitUntilRecorded(db, ids);
  const staff = await staffClient();
  for (const m of [match, other]) {
    await closeUntilComplete(db, m.id);
    expect((await staff.post(`/api/admin/matches/${m.id}/result`, { winnerSelectionId: m.markets[0]!.selections[0]!.id })).status).toBe(
      200,
    );
  }
  expect((await callPayout(other.id, 5000)).already_settled).toBe(false);
  const home = match.markets[0]!.selections[0]!;
  const expected = new Map<string, number>();
  for (const bet of await db.select().from(bets).where(inArray(bets.id, ids))) {
    if (bet.type === "ACCUMULATOR")
      expected.set(
        bet.id,
        accumulatorReturn(
          bet.stake,
          legs.map((l) => parseOdds(l.odds)),
        ),
      );
    else expected.set(bet.id, bet.selectionId === home.id ? Math.floor((bet.stake * bet.odds) / 100) : 0);
  }
  return { match, ids, expected };
}

const settledCount = async (ids: string[]) =>
  (await db.select({ status: bets.status }).from(bets).where(inArray(bets.id, ids))).filter((b) => b.status !== "RECORDED").length;

const chunkRows = (matchId: string) => db.select().from(settlementChunks).where(eq(settlementChunks.matchId, matchId));

/** Every bet paid exactly once: its status and payout, its ledger entries, one credit outbox row per credit entry. */
async function expectPaidOnce(match: MatchDto, ids: string[], expected: Map<string, number>) {
  const rows = await db.select().from(bets).where(inArray(bets.id, ids));
  for (const bet of rows) {
    const payout = expected.get(bet.id)!;
    expect({ id: bet.id, status: bet.status, payout: bet.payout }).toEqual({ id: bet.id, status: payout > 0 ? "WON" : "LOST", payout });
  }
  const entries = await db
    .select()
    .from(ledgerEntries)
    .where(and(inArray(ledgerEntries.reference, ids), inArray(ledgerEntries.kind, ["STAKE_RETURN", "WINNINGS", "STAKE_LOST"])))
    .orderBy(asc(ledgerEntries.id));
  const won = rows.filter((b) => b.status === "WON");
  expect(entries).toHaveLength(2 * won.length + (rows.length - won.length));
  for (const bet of rows) {
    const mine = entries.filter((e) => e.reference === bet.id);
    if (bet.status === "WON") {
      expect(mine.map((e) => [e.kind, e.amount]).sort()).toEqual(
        [
          ["STAKE_RETURN", bet.stake],
          ["WINNINGS", bet.payout! - bet.stake],
        ].sort(),
      );
    } else expect(mine.map((e) => [e.kind, e.amount])).toEqual([["STAKE_LOST", bet.stake]]);
  }
  const credits = await db
    .select({ payload: outbox.payload })
    .from(outbox)
    .where(
      and(
        eq(outbox.topic, "wallet.credit"),
        inArray(
          sql`${outbox.payload}->>'entry'`,
          entries.map((e) => `${e.kind}:${e.reference}`),
        ),
      ),
    );
  const creditEntries = entries.filter((e) => e.kind !== "STAKE_LOST");
  expect(credits.map((c) => (c.payload as { entry: string }).entry).sort()).toEqual(
    creditEntries.map((e) => `${e.kind}:${e.reference}`).sort(),
  );
  expect(credits.map((c) => (c.payload as { amount: number }).amount).reduce((a, b) => a + b, 0)).toBe(
    creditEntries.reduce((a, e) => a + e.amount, 0),
  );
  const [record] = await db.select().from(settlements).where(eq(settlements.matchId, match.id));
  expect(record).toMatchObject({
    betsSettled: rows.length,
    won: won.length,
    lost: rows.length - won.length,
    voided: 0,
    stakes: rows.reduce((a, b) => a + b.stake, 0),
    payouts: [...expected.values()].reduce((a, b) => a + b, 0),
  });
  expect(
    await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, match.id), eq(auditLog.action, "match.settle"))),
  ).toHaveLength(1);
  expect(await settlementState(db, match.id)).toBe("SETTLED");
}

describe("the payout in chunks", () => {
  it("stopped after k chunks, then killed mid-chunk, is resumed by psql: every bet paid once, totals of the whole payout", async () => {
    const { match, ids, expected } = await matchToPay(7);
    const staff = await staffClient();

    // Two chunks of two bets, then it stops, as a crash between two chunks would leave it.
    const stopped = await callPayout(match.id, 2, 2);
    expect(stopped).toMatchObject({ already_settled: false, bets_settled: null });
    expect(await settledCount(ids)).toBe(4);
    expect((await chunkRows(match.id)).map((c) => c.betsSettled)).toEqual([2, 2]);
    const [begun] = await db.select().from(matches).where(eq(matches.id, match.id));
    expect(begun).toMatchObject({ settlementState: "COMPLETE", payoutStartedAt: expect.any(Date) });
    expect(await db.select().from(settlements).where(eq(settlements.matchId, match.id))).toEqual([]);

    // From the payout's first transaction on, the result and the markets are final.
    const correction = await staff.post(`/api/admin/matches/${match.id}/result`, { void: true });
    expect(correction.status).toBe(409);
    expect(correction.body.error.code).toBe("INVALID_STATE");
    const voided = await staff.post(`/api/admin/markets/${match.markets[0]!.id}/void`);
    expect(voided.status).toBe(409);
    expect(voided.body.error.code).toBe("INVALID_STATE");

    // A run killed mid-chunk: its chunk waits on a bet's row lock, its backend is terminated; the chunk rolls back.
    const [next] = await db
      .select({ id: bets.id })
      .from(bets)
      .where(and(eq(bets.matchId, match.id), eq(bets.status, "RECORDED")))
      .orderBy(asc(bets.id))
      .limit(1);
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let holder!: Promise<void>;
    await new Promise<void>((held) => {
      holder = db.transaction(async (tx) => {
        await tx.execute(sql`select 1 from bets where id = ${next!.id} for update`);
        held();
        await released;
      });
    });
    const victim = postgres(requiredEnv("DATABASE_URL"), { max: 1, onnotice: () => {} });
    const conn = await victim.reserve();
    const [{ pid }] = (await conn`select pg_backend_pid() as pid`) as unknown as [{ pid: number }];
    const killed = conn`call settle_match(${match.id}, null, 2)`.then(
      () => null,
      (error: unknown) => error,
    );
    await waitFor(
      "the payout waiting mid-chunk",
      async () => (await db.execute(sql`select 1 from pg_stat_activity where pid = ${pid} and wait_event_type = 'Lock'`)).length === 1,
      30_000,
    );
    await db.execute(sql`select pg_terminate_backend(${pid})`);
    expect(await killed).toBeInstanceOf(Error);
    release();
    await holder;
    await victim.end({ timeout: 1 });
    expect(await settledCount(ids)).toBe(4);
    expect(await chunkRows(match.id)).toHaveLength(2);

    const resumed = await settleWithPsql(match.id);
    expect(resumed.exitCode).toBe(0);
    expect(resumed.output).toMatch(/already_settled\s*\|\s*f/);
    expect(resumed.output).toMatch(/bets_settled\s*\|\s*8/);
    await expectPaidOnce(match, ids, expected);
    expect((await chunkRows(match.id)).reduce((a, c) => a + c.betsSettled, 0)).toBe(8);
    // The accumulator's last leg was decided here, by the chunk that settled it.
    expect(
      (
        await db
          .select()
          .from(betLegs)
          .where(eq(betLegs.betId, ids.at(-1)!))
      ).map((l) => l.result),
    ).toEqual(["WON", "WON"]);

    const again = await settleWithPsql(match.id);
    expect(again.output).toMatch(/already_settled\s*\|\s*t/);
    await waitUntilCreditsApplied(db);
    await expectMoneyConserved(db, redis, partitions);
  });

  it("does not hold the match row between chunks: another transaction locks it at once mid-payout", async () => {
    const { match, ids, expected } = await matchToPay(4);
    // The second bet in id order is held: chunk 1 commits, chunk 2 waits on it.
    const singles = await db.select({ id: bets.id }).from(bets).where(eq(bets.matchId, match.id)).orderBy(asc(bets.id));
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let holder!: Promise<void>;
    await new Promise<void>((held) => {
      holder = db.transaction(async (tx) => {
        await tx.execute(sql`select 1 from bets where id = ${singles[1]!.id} for update`);
        held();
        await released;
      });
    });
    const payout = callPayout(match.id, 1);
    await waitFor(
      "the payout waiting in its second chunk",
      async () =>
        (await db.execute(sql`select 1 from pg_stat_activity where query like 'call settle_match(%' and wait_event_type = 'Lock'`))
          .length === 1,
      30_000,
    );
    expect(await settledCount(ids)).toBe(1);
    const started = performance.now();
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local lock_timeout = '2s'`);
      await tx.execute(sql`select id from matches where id = ${match.id} for no key update`);
    });
    expect(performance.now() - started).toBeLessThan(2_000);
    // A correction is refused at once, not queued behind the payout.
    const correction = await (await staffClient()).post(`/api/admin/matches/${match.id}/result`, { void: true });
    expect(correction.status).toBe(409);
    release();
    await holder;
    expect(await payout).toMatchObject({ already_settled: false, bets_settled: 5 });
    await expectPaidOnce(match, ids, expected);
  });

  it("two runs at once, one bet per chunk, pay each bet once; the second to finish says already_settled", async () => {
    const { match, ids, expected } = await matchToPay(6);
    const runs = await Promise.all([callPayout(match.id, 1), callPayout(match.id, 1)]);
    expect(runs.map((r) => r.already_settled).sort()).toEqual([false, true]);
    expect(runs.find((r) => !r.already_settled)).toMatchObject({ bets_settled: 7 });
    expect(runs.find((r) => r.already_settled)).toMatchObject({ bets_settled: 0 });
    await expectPaidOnce(match, ids, expected);
    expect((await chunkRows(match.id)).reduce((a, c) => a + c.betsSettled, 0)).toBe(7);
  });
});
