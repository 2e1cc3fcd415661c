import { randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bets, ledgerEntries } from "@/drizzle/schema";
import { getConfig } from "@/server/config";
import { parseOdds } from "@/server/odds.shared";
import { partitionOfUser } from "@/server/platform/partitions";
import { logKeys, walletKeys } from "@/server/platform/redis-keys";
import { betBody, fundedBettor, openMatch, staffClient, waitUntilRecorded } from "@/test/support/betting";
import { newBettor } from "@/test/support/api-client";
import { connectTestDatabase } from "@/test/support/database";
import { closeUntilComplete, expectMoneyConserved, waitUntilCreditsApplied, waitUntilSettled } from "@/test/support/lifecycle";
import { workerHolding } from "@/test/support/processes";
import { connectTestRedis } from "@/test/support/redis";
import { waitFor } from "@/scripts/lib/run";
import { cashOutAmount } from "./cash-out.shared";

const db = connectTestDatabase();
const redis = connectTestRedis();
const config = getConfig({ ...process.env });
const partitions = config.WRITE_BEHIND_PARTITIONS;
const margin = config.CASH_OUT_MARGIN_PERCENT;

type Client = Awaited<ReturnType<typeof fundedBettor>>["client"];
const cashOut = (client: Client, betId: string, amount: number, idempotencyKey = randomUUID()) =>
  client.post(`/api/bets/${betId}/cash-out`, { amount, idempotencyKey });
const offerOf = async (client: Client, betId: string) => (await client.get(`/api/bets/${betId}`)).body.cashOut as { amount: number } | null;
const entriesOf = (betId: string) =>
  db.select({ kind: ledgerEntries.kind, amount: ledgerEntries.amount }).from(ledgerEntries).where(eq(ledgerEntries.reference, betId));
const betRow = async (id: string) => (await db.select().from(bets).where(eq(bets.id, id)))[0];

async function settleHomeWin(matchId: string) {
  const staff = await staffClient();
  await closeUntilComplete(db, matchId);
  expect((await staff.post(`/api/admin/matches/${matchId}/result`, { score: { home: 1, away: 0 } })).status).toBe(200);
  expect((await staff.post(`/api/admin/matches/${matchId}/settle`)).status).toBe(202);
  await waitUntilSettled(db, matchId);
}

describe("cash out", () => {
  it("offers the live value of a recorded bet, refuses a stale amount, credits at once, and the payout never pays it", async () => {
    const match = await openMatch();
    const home = match.markets[0]!.selections[0]!;
    const { client, id: userId } = await fundedBettor(10_000);
    const placed = await client.post("/api/bets", betBody(home.id, 1_000, home.odds));
    expect(placed.status).toBe(201);
    const betId = placed.body.bet.id;
    await waitUntilRecorded(db, [betId]);
    // The same price as taken: the stake less the margin.
    expect(await offerOf(client, betId)).toEqual({ amount: 950 });

    // The price shortens to 1.50: the offer follows it from the live odds.
    const staff = await staffClient();
    expect(
      (await staff.request("PATCH", `/api/admin/selections/${home.id}`, { json: { odds: "1.50", expectedVersion: home.version } })).status,
    ).toBe(200);
    const fresh = cashOutAmount(
      { stake: 1_000, legs: [{ selectionId: home.id, odds: 210, result: "OPEN" }] },
      new Map([[home.id, 150]]),
      margin,
    )!;
    expect(fresh).toBe(1_330);
    expect(await offerOf(client, betId)).toEqual({ amount: fresh });
    const stale = await cashOut(client, betId, 950);
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: "CASH_OUT_CHANGED", currentAmount: fresh });

    const key = randomUUID();
    const done = await cashOut(client, betId, fresh, key);
    expect(done.status).toBe(200);
    expect(done.body.bet).toMatchObject({ status: "CASHED_OUT", payout: fresh, cashOut: null });
    expect((await client.get("/api/wallet")).body.available).toBe(10_000 - 1_000 + fresh);
    const replay = await cashOut(client, betId, fresh, key);
    expect(replay.status).toBe(200);
    expect(replay.body.bet.id).toBe(betId);
    expect((await cashOut(client, betId, fresh)).body.error.code).toBe("CASH_OUT_UNAVAILABLE");
    expect((await client.get("/api/wallet")).body.available).toBe(10_000 - 1_000 + fresh);

    await waitFor("the cash-out in PostgreSQL", async () => (await betRow(betId))?.status === "CASHED_OUT");
    expect(await entriesOf(betId)).toEqual(
      expect.arrayContaining([
        { kind: "STAKE", amount: 1_000 },
        { kind: "CASH_OUT_STAKE", amount: 1_000 },
        { kind: "CASH_OUT", amount: fresh },
      ]),
    );
    await settleHomeWin(match.id);
    expect(await betRow(betId)).toMatchObject({ status: "CASHED_OUT", payout: fresh });
    expect((await entriesOf(betId)).map((e) => e.kind).sort()).toEqual(["CASH_OUT", "CASH_OUT_STAKE", "STAKE"]);
    await expect(
      (await newBettor()).client.post(`/api/bets/${betId}/cash-out`, { amount: fresh, idempotencyKey: randomUUID() }),
    ).resolves.toMatchObject({
      status: 404,
    });
    await waitUntilCreditsApplied(db);
    await expectMoneyConserved(db, redis, partitions);
    const p = partitionOfUser(userId, partitions);
    expect(Number(await redis.hget(walletKeys.wallet(p, userId), "cashingOut"))).toBe(0);
    expect(await redis.hexists(logKeys.cashOuts(p, userId), betId)).toBe(1);
  });

  it("cashes out a bet still in the queue; the flusher writes the bet, then its cash-out, in order", async () => {
    const match = await openMatch();
    const away = match.markets[0]!.selections[2]!;
    const { client } = await fundedBettor(10_000);
    const worker = await workerHolding(redis, "bm:outbox:relay:lease");
    expect(worker, "the worker").not.toBeNull();
    process.kill(worker!, "SIGSTOP");
    let betId: string;
    try {
      const placed = await client.post("/api/bets", betBody(away.id, 2_000, away.odds));
      betId = placed.body.bet.id;
      const { amount } = (await offerOf(client, betId))!;
      expect(amount).toBe(1_900);
      const done = await cashOut(client, betId, amount);
      expect(done.status).toBe(200);
      expect(done.body.bet).toMatchObject({ status: "CASHED_OUT", payout: 1_900 });
      expect(await betRow(betId)).toBeUndefined();
    } finally {
      process.kill(worker!, "SIGCONT");
    }
    await waitFor("the bet and its cash-out in PostgreSQL", async () => (await betRow(betId))?.status === "CASHED_OUT");
    expect((await client.get("/api/wallet")).body).toMatchObject({ available: 9_900, balance: 9_900 });
  });

  it("offers nothing while the match is suspended (409 CASH_OUT_UNAVAILABLE), and again once it resumes", async () => {
    const match = await openMatch();
    const draw = match.markets[0]!.selections[1]!;
    const { client } = await fundedBettor(10_000);
    const betId = (await client.post("/api/bets", betBody(draw.id, 500, draw.odds))).body.bet.id;
    const staff = await staffClient();
    expect((await staff.post(`/api/admin/matches/${match.id}/suspend`)).status).toBe(200);
    expect(await offerOf(client, betId)).toBeNull();
    expect((await cashOut(client, betId, 475)).body.error.code).toBe("CASH_OUT_UNAVAILABLE");
    expect((await staff.post(`/api/admin/matches/${match.id}/resume`)).status).toBe(200);
    expect(await offerOf(client, betId)).toEqual({ amount: 475 });
  });

  it("an accumulator with a won leg is offered on its open leg, cashed out, and its last match's payout leaves it alone", async () => {
    const [first, second] = await Promise.all([openMatch(), openMatch()]);
    const legs = [first!, second!].map((m) => m.markets[0]!.selections[0]!);
    const { client } = await fundedBettor(10_000);
    const placed = await client.post("/api/bets", {
      legs: legs.map((s) => ({ selectionId: s.id, odds: s.odds })),
      stake: 1_000,
      idempotencyKey: randomUUID(),
    });
    expect(placed.status).toBe(201);
    const betId = placed.body.bet.id;
    await waitUntilRecorded(db, [betId]);
    await settleHomeWin(first!.id);
    const expected = cashOutAmount(
      {
        stake: 1_000,
        legs: [
          { selectionId: legs[0]!.id, odds: parseOdds(legs[0]!.odds), result: "WON" },
          { selectionId: legs[1]!.id, odds: parseOdds(legs[1]!.odds), result: "OPEN" },
        ],
      },
      new Map([[legs[1]!.id, parseOdds(legs[1]!.odds)]]),
      margin,
    )!;
    expect(expected).toBe(1_995); // floor(1000 x 2.10 x 0.95)
    expect(await offerOf(client, betId)).toEqual({ amount: expected });
    expect((await cashOut(client, betId, expected)).status).toBe(200);
    await waitFor("the cash-out in PostgreSQL", async () => (await betRow(betId))?.status === "CASHED_OUT");
    await settleHomeWin(second!.id);
    expect(await betRow(betId)).toMatchObject({ status: "CASHED_OUT", payout: expected });
    const kinds = await db
      .select({ kind: ledgerEntries.kind })
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.reference, betId), inArray(ledgerEntries.kind, ["WINNINGS", "STAKE_RETURN", "STAKE_LOST"])));
    expect(kinds).toEqual([]);
    await waitUntilCreditsApplied(db);
    await expectMoneyConserved(db, redis, partitions);
  });
  it("survives kill -9 of the flusher between a bet and its cash-out in the log: both reach PostgreSQL once, in order", async () => {
    const match = await openMatch();
    const home = match.markets[0]!.selections[0]!;
    for (const betFirstInPostgres of [true, false]) {
      const { client, id: userId } = await fundedBettor(10_000);
      const lease = logKeys.lease(partitionOfUser(userId, partitions));
      const placed = await client.post("/api/bets", betBody(home.id, 1_000, home.odds));
      const betId = placed.body.bet.id as string;
      // Either the bet is already written and only the cash-out waits, or both wait in the log.
      if (betFirstInPostgres) await waitUntilRecorded(db, [betId]);
      let flusher: number | null = null;
      await waitFor("a flusher holding the partition", async () => (flusher = await workerHolding(redis, lease)) !== null);
      process.kill(flusher!, "SIGSTOP");
      try {
        const { amount } = (await offerOf(client, betId))!;
        expect((await cashOut(client, betId, amount)).status).toBe(200);
      } finally {
        // Killed while stopped: whatever it had read stays unacknowledged; the lease expires and a live worker's
        // flusher takes the partition over (the stack restarts the killed worker).
        process.kill(flusher!, "SIGKILL");
      }
      await waitFor("the cash-out in PostgreSQL", async () => (await betRow(betId))?.status === "CASHED_OUT", 60_000);
      expect((await entriesOf(betId)).map((e) => e.kind).sort()).toEqual(["CASH_OUT", "CASH_OUT_STAKE", "STAKE"]);
      await waitFor(
        "the cash-out acknowledged",
        async () => Number(await redis.hget(walletKeys.wallet(partitionOfUser(userId, partitions), userId), "cashingOut")) === 0,
      );
    }
    await waitUntilCreditsApplied(db);
    await expectMoneyConserved(db, redis, partitions);
  });
});
