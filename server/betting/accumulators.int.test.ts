import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { betLegs, bets } from "@/drizzle/schema";
import type { MatchDto } from "@/server/catalog/match-root";
import { getConfig } from "@/server/config";
import { accumulatorReturn, parseOdds } from "@/server/odds.shared";
import { fundedBettor, openMatch, staffClient, waitUntilRecorded } from "@/test/support/betting";
import { connectTestDatabase } from "@/test/support/database";
import {
  closeUntilComplete,
  expectMoneyConserved,
  settlementState,
  waitUntilCreditsApplied,
  waitUntilSettled,
} from "@/test/support/lifecycle";
import { connectTestRedis } from "@/test/support/redis";

const db = connectTestDatabase();
const redis = connectTestRedis();
const partitions = getConfig({ ...process.env }).WRITE_BEHIND_PARTITIONS;

const home = (match: MatchDto) => match.markets[0]!.selections[0]!;
const away = (match: MatchDto) => match.markets[0]!.selections[2]!;
const legOf = (selection: { id: string; odds: string }) => ({ selectionId: selection.id, odds: selection.odds });
const accumulator = (legs: { id: string; odds: string }[], stake: number) => ({
  legs: legs.map(legOf),
  stake,
  idempotencyKey: randomUUID(),
});

async function openMatches(count: number) {
  return Promise.all(Array.from({ length: count }, () => openMatch({ home: "2.15", draw: "3.40", away: "3.05" })));
}

/** Records a result and runs the payout of one closed, complete match. */
async function settle(match: MatchDto, result: object) {
  const staff = await staffClient();
  expect((await staff.post(`/api/admin/matches/${match.id}/result`, result)).status).toBe(200);
  expect((await staff.post(`/api/admin/matches/${match.id}/settle`)).status).toBe(202);
  await waitUntilSettled(db, match.id);
}

const betRow = async (id: string) => (await db.select().from(bets).where(eq(bets.id, id)))[0]!;

describe("accumulators", () => {
  it("are accepted in one step with the product of the odds, shown with their legs, and written with them", async () => {
    const matches = await openMatches(3);
    const { client } = await fundedBettor(100_000);
    const legs = matches.map(home);
    const res = await client.post("/api/bets", accumulator(legs, 1_001));
    expect(res.status).toBe(201);
    const odds = legs.map((l) => parseOdds(l.odds));
    // 2.15 x 2.15 x 2.15 = 9.938375: odds shown rounded down, the return exact.
    expect(res.body.bet).toMatchObject({
      type: "ACCUMULATOR",
      selectionId: null,
      matchId: null,
      stake: 1_001,
      odds: "9.93",
      potentialReturn: accumulatorReturn(1_001, odds),
      status: "ACCEPTED",
      legs: matches.map((m) => ({ selectionId: home(m).id, matchId: m.id, odds: "2.15", result: "OPEN" })),
    });
    expect(res.body.bet.potentialReturn).toBe(9_948); // floor(1001 x 9.938375)
    await waitUntilRecorded(db, [res.body.bet.id]);
    const recorded = await client.get(`/api/bets/${res.body.bet.id}`);
    expect(recorded.body).toMatchObject({ status: "RECORDED", legs: res.body.bet.legs, potentialReturn: 9_948 });
    expect(await db.select().from(betLegs).where(eq(betLegs.betId, res.body.bet.id))).toHaveLength(3);
    expect((await client.get("/api/wallet")).body).toMatchObject({ available: 100_000 - 1_001 });
  });

  it("are refused with field errors for fewer than 2 or more than 12 legs, or two legs on one match", async () => {
    const [match] = await openMatches(1);
    const { client } = await fundedBettor(10_000);
    const one = await client.post("/api/bets", accumulator([home(match!)], 100));
    expect(one.status).toBe(400);
    expect(one.body.error.issues[0].path).toBe("legs");
    const thirteen = {
      legs: Array.from({ length: 13 }, () => ({ selectionId: randomUUID(), odds: "2.00" })),
      stake: 100,
      idempotencyKey: randomUUID(),
    };
    expect((await client.post("/api/bets", thirteen)).status).toBe(400);
    const sameMatch = await client.post("/api/bets", accumulator([home(match!), away(match!)], 100));
    expect(sameMatch.status).toBe(400);
    expect(sameMatch.body.error.issues).toEqual([{ path: "legs.1.selectionId", message: "Each leg must be on a different match." }]);
    expect((await client.get("/api/wallet")).body.available).toBe(10_000);
  });

  it("refuse ODDS_CHANGED naming the legs that moved, and a stake whose return would pass the maximum payout with maxStake", async () => {
    const matches = await openMatches(2);
    const { client } = await fundedBettor(1_000_000);
    const staff = await staffClient();
    const moved = away(matches[1]!);
    expect(
      (await staff.request("PATCH", `/api/admin/selections/${moved.id}`, { json: { odds: "35.00", expectedVersion: moved.version } }))
        .status,
    ).toBe(200);
    const legs = [home(matches[0]!), moved];
    const refused = await client.post("/api/bets", accumulator(legs, 1_000));
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "ODDS_CHANGED", legs: [{ selectionId: moved.id, currentOdds: "35.00" }] });

    const current = [home(matches[0]!), { ...moved, odds: "35.00" }];
    const tooBig = await client.post("/api/bets", { ...accumulator(current, 500_000), acceptOddsChanges: "none" });
    expect(tooBig.status).toBe(422);
    const { maxStake } = tooBig.body.error;
    const maxPayout = getConfig({ ...process.env }).BET_MAX_PAYOUT;
    const odds = current.map((l) => parseOdds(l.odds));
    expect(accumulatorReturn(maxStake, odds)).toBeLessThanOrEqual(maxPayout);
    expect(accumulatorReturn(maxStake + 1, odds)).toBeGreaterThan(maxPayout);
    expect((await client.post("/api/bets", accumulator(current, maxStake))).status).toBe(201);
  });

  it("reach PostgreSQL before any of their matches is COMPLETE, are lost at the first lost leg, and won legs pay once the last is decided", async () => {
    const matches = await openMatches(3);
    const { client } = await fundedBettor(100_000);
    const won = await client.post("/api/bets", accumulator(matches.map(home), 1_000));
    const lost = await client.post("/api/bets", accumulator([away(matches[0]!), home(matches[1]!)], 1_000));
    expect([won.status, lost.status]).toEqual([201, 201]);

    // The gate: both were accepted before the close, so they are in PostgreSQL when the match completes.
    await closeUntilComplete(db, matches[0]!.id);
    expect((await db.select({ id: bets.id }).from(bets).where(eq(bets.id, won.body.bet.id))).length).toBe(1);
    expect((await db.select({ id: bets.id }).from(bets).where(eq(bets.id, lost.body.bet.id))).length).toBe(1);
    await settle(matches[0]!, { score: { home: 2, away: 0 } });
    // Lost at once by the first match; the other stays open, its first leg won.
    expect(await betRow(lost.body.bet.id)).toMatchObject({ status: "LOST", payout: 0 });
    expect(await betRow(won.body.bet.id)).toMatchObject({ status: "RECORDED", payout: null });
    expect((await client.get(`/api/bets/${won.body.bet.id}`)).body.legs.map((l: { result: string }) => l.result)).toEqual([
      "WON",
      "OPEN",
      "OPEN",
    ]);

    await closeUntilComplete(db, matches[1]!.id);
    await settle(matches[1]!, { score: { home: 1, away: 0 } });
    expect(await betRow(won.body.bet.id)).toMatchObject({ status: "RECORDED" });
    await closeUntilComplete(db, matches[2]!.id);
    await settle(matches[2]!, { score: { home: 3, away: 1 } });
    expect(await betRow(won.body.bet.id)).toMatchObject({ status: "WON", payout: 9_938 });
    await waitUntilCreditsApplied(db);
    await expectMoneyConserved(db, redis, partitions);
  });

  it("count a void leg as 1.00, and return the stake when every leg is void", async () => {
    const matches = await openMatches(2);
    const { client } = await fundedBettor(100_000);
    const partly = await client.post("/api/bets", accumulator(matches.map(home), 1_000));
    const [third] = await openMatches(1);
    const allVoid = await client.post("/api/bets", accumulator([away(matches[0]!), home(third!)], 1_000));
    expect([partly.status, allVoid.status]).toEqual([201, 201]);
    for (const match of [...matches, third!]) await closeUntilComplete(db, match.id);
    await settle(matches[0]!, { void: true });
    await settle(matches[1]!, { score: { home: 1, away: 0 } });
    expect(await betRow(partly.body.bet.id)).toMatchObject({ status: "WON", payout: 2_150 });
    expect(await betRow(allVoid.body.bet.id)).toMatchObject({ status: "RECORDED" });
    await settle(third!, { void: true });
    expect(await betRow(allVoid.body.bet.id)).toMatchObject({ status: "VOID", payout: 1_000 });
    expect(await settlementState(db, third!.id)).toBe("SETTLED");
    await waitUntilCreditsApplied(db);
    await expectMoneyConserved(db, redis, partitions);
  });
});
