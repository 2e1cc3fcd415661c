import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getConfig } from "@/server/config";
import { accumulatorReturn, maxStakeWithin, parseOdds } from "@/server/odds.shared";
import { allPartitions, partitionOfUser } from "@/server/platform/partitions";
import { riskKeys } from "@/server/platform/redis-keys";
import { betBody, fundedBettor, openMatch, staffClient } from "@/test/support/betting";
import { newBettor } from "@/test/support/api-client";
import { connectTestDatabase } from "@/test/support/database";
import { closeUntilComplete, waitUntilSettled } from "@/test/support/lifecycle";
import { connectTestRedis } from "@/test/support/redis";
import { waitFor } from "@/scripts/lib/run";
import type { Bet } from "@/server/betting/bets.shared";
import type { MatchDto } from "@/server/catalog/match-root";
import type { MatchLiability } from "./liability";
import { rebalanceLiability } from "./rebalance";

const db = connectTestDatabase();
const redis = connectTestRedis();
const config = getConfig({ ...process.env });
const partitions = config.WRITE_BEHIND_PARTITIONS;

async function setCap(match: MatchDto, maxLiability: number): Promise<MatchDto> {
  const staff = await staffClient();
  const res = await staff.patch(`/api/admin/matches/${match.id}`, { maxLiability, expectedVersion: match.version });
  expect(res.status).toBe(200);
  expect(res.body.maxLiability).toBe(maxLiability);
  return res.body as MatchDto;
}

const liabilityOf = async (matchId: string) =>
  (await (await staffClient()).get<MatchLiability>(`/api/admin/matches/${matchId}/liability`)).body;
const selectionFigures = (liability: MatchLiability, selectionId: string) =>
  liability.markets.flatMap((m) => m.selections).find((s) => s.selectionId === selectionId)!;

/** Each selection's liability recomputed from the accepted bets themselves (singles on the match's 1X2 market). */
function liabilityFromBets(match: MatchDto, accepted: Bet[]) {
  const market = match.markets[0]!;
  const marketStakes = accepted.reduce((sum, bet) => sum + bet.stake, 0);
  return market.selections.map((s) => ({
    selectionId: s.id,
    liability:
      accepted.filter((bet) => bet.legs[0]!.selectionId === s.id).reduce((sum, bet) => sum + bet.potentialReturn, 0) - marketStakes,
  }));
}

describe("live liability (I14)", () => {
  it("counts singles and accumulators live, takes a cashed-out bet out and clears at the payout", async () => {
    const [first, second] = [await openMatch(), await openMatch()];
    const [home, draw] = first.markets[0]!.selections;
    const away2 = second.markets[0]!.selections[2]!;
    const { client } = await fundedBettor(50_000);
    const single = await client.post("/api/bets", betBody(home!.id, 1_000, home!.odds));
    const other = await client.post("/api/bets", betBody(draw!.id, 500, draw!.odds));
    const acca = await client.post("/api/bets", {
      legs: [
        { selectionId: home!.id, odds: home!.odds },
        { selectionId: away2.id, odds: away2.odds },
      ],
      stake: 200,
      idempotencyKey: randomUUID(),
    });
    expect([single.status, other.status, acca.status]).toEqual([201, 201, 201]);

    // Counted at acceptance, before the flusher: 1,000 at 2.10 and the accumulator's return (200 x 2.10 x 3.60).
    const accaReturn = acca.body.bet.potentialReturn as number;
    expect(accaReturn).toBe(1_512);
    const live = await liabilityOf(first.id);
    expect(live.maxLiability).toBe(config.MAX_LIABILITY_PER_MATCH);
    expect(selectionFigures(live, home!.id)).toEqual({
      selectionId: home!.id,
      bets: 2,
      stakes: 1_200,
      potentialPayout: 2_100 + accaReturn,
      liability: 2_100 + accaReturn - 1_500,
    });
    expect(selectionFigures(live, draw!.id).liability).toBe(1_700 - 1_500);
    expect(selectionFigures(await liabilityOf(second.id), away2.id).potentialPayout).toBe(accaReturn);

    // The single cashed out: out of the figures at once.
    const offer = (await client.get(`/api/bets/${single.body.bet.id}`)).body.cashOut.amount as number;
    expect((await client.post(`/api/bets/${single.body.bet.id}/cash-out`, { amount: offer, idempotencyKey: randomUUID() })).status).toBe(
      200,
    );
    expect(selectionFigures(await liabilityOf(first.id), home!.id)).toMatchObject({
      bets: 1,
      potentialPayout: accaReturn,
      liability: accaReturn - 500,
    });

    // The first match paid: its counters go, the accumulator's other leg still counts on the second match.
    const staff = await staffClient();
    await closeUntilComplete(db, first.id);
    expect((await staff.post(`/api/admin/matches/${first.id}/result`, { score: { home: 2, away: 0 } })).status).toBe(200);
    expect((await staff.post(`/api/admin/matches/${first.id}/settle`)).status).toBe(202);
    await waitUntilSettled(db, first.id);
    await waitFor("the first match's counters cleared", async () => selectionFigures(await liabilityOf(first.id), home!.id).bets === 0);
    expect(selectionFigures(await liabilityOf(second.id), away2.id).potentialPayout).toBe(accaReturn);
  });

  it("never lets 200 concurrent bets from many bettors take a selection over a small cap, summed over partitions", async () => {
    const cap = 30_000;
    const match = await setCap(await openMatch({ home: "2.10", draw: "3.40", away: "3.60" }), cap);
    const selections = match.markets[0]!.selections;
    const bettors = await Promise.all(Array.from({ length: 40 }, () => fundedBettor(20_000)));
    // Bettors in at least three partitions: the cap is split between them.
    expect(new Set(bettors.map((b) => partitionOfUser(b.id, partitions))).size).toBeGreaterThanOrEqual(3);
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) => {
        const selection = selections[i % 5 === 0 ? 1 : i % 7 === 0 ? 2 : 0]!;
        return bettors[i % bettors.length]!.client.post("/api/bets", betBody(selection.id, 500 + ((i * 37) % 2_000), selection.odds));
      }),
    );
    const accepted = replies.filter((r) => r.status === 201).map((r) => r.body.bet as Bet);
    const refused = replies.filter((r) => r.status === 422).map((r) => r.body.error);
    expect(accepted.length + refused.length).toBe(200);
    expect(refused.length).toBeGreaterThan(0);
    for (const error of refused) {
      expect(error.code).toBe("LIABILITY_LIMIT");
      expect(error.maxStake).toBeGreaterThanOrEqual(0);
    }
    for (const { liability } of liabilityFromBets(match, accepted)) expect(liability).toBeLessThanOrEqual(cap);
    // The live figures agree with the bets.
    const live = await liabilityOf(match.id);
    for (const { selectionId, liability } of liabilityFromBets(match, accepted))
      expect(selectionFigures(live, selectionId).liability).toBe(liability);

    // The largest stake offered is accepted as it is (nothing else is betting now).
    const home = selections[0]!;
    const { client } = await fundedBettor(20_000);
    const refusal = (await client.post("/api/bets", betBody(home.id, 10_000, home.odds))).body.error;
    expect(refusal.code).toBe("LIABILITY_LIMIT");
    if (refusal.maxStake >= config.BET_MIN_STAKE) {
      expect((await client.post("/api/bets", betBody(home.id, refusal.maxStake, home.odds))).status).toBe(201);
    }
  });

  it("caps an accumulator on each leg's match: its whole return against the partition's share of that match's cap", async () => {
    const cap = 80_000;
    const [open, capped] = [await openMatch(), await setCap(await openMatch(), cap)];
    // The capped match's leg last: every leg is checked, not only the first.
    const legs = [open.markets[0]!.selections[0]!, capped.markets[0]!.selections[2]!];
    const { client, id } = await fundedBettor(50_000);
    const p = partitionOfUser(id, partitions);
    // This partition's even share of the capped match (no weight has moved: nothing asked for it yet).
    const share = Math.floor(1_000_000 / partitions) + (p < 1_000_000 % partitions ? 1 : 0);
    const allowance = Math.floor((cap * share) / 1_000_000);
    const odds = legs.map((s) => parseOdds(s.odds));
    const body = (stake: number) => ({
      legs: legs.map((s) => ({ selectionId: s.id, odds: s.odds })),
      stake,
      idempotencyKey: randomUUID(),
    });
    const refused = await client.post("/api/bets", body(maxStakeWithin(allowance, odds) + 500));
    expect(refused.status).toBe(422);
    // The whole return counts (not the return less the stake, as for a single).
    expect(refused.body.error).toMatchObject({ code: "LIABILITY_LIMIT", maxStake: maxStakeWithin(allowance, odds) });
    const placed = await client.post("/api/bets", body(refused.body.error.maxStake));
    expect(placed.status).toBe(201);
    expect(selectionFigures(await liabilityOf(capped.id), legs[1]!.id).potentialPayout).toBe(
      accumulatorReturn(refused.body.error.maxStake, odds),
    );
  });

  it("moves unused allowance to the partition that needs it, conserving the weights", async () => {
    const cap = 80_000;
    const match = await setCap(await openMatch({ home: "3.00", draw: "3.40", away: "2.50" }), cap);
    const home = match.markets[0]!.selections[0]!;
    const { client, id } = await fundedBettor(100_000);
    const p = partitionOfUser(id, partitions);
    // This partition's even share of the cap: 80,000 / partitions, so 2 x stake of liability per bet at 3.00.
    const share = Math.floor(cap / partitions);
    const stake = Math.floor(share / 2 / 2);
    expect((await client.post("/api/bets", betBody(home.id, stake, home.odds))).status).toBe(201);
    const before = (await client.post("/api/bets", betBody(home.id, stake * 2, home.odds))).body.error;
    // The workers' rebalancer moves weight here: then the same bet is accepted.
    const weights = async () =>
      Promise.all(allPartitions(partitions).map(async (q) => Number((await redis.hget(riskKeys.match(q, match.id), "w")) ?? 0)));
    if (before?.code === "LIABILITY_LIMIT") {
      await rebalanceLiability({ redis, partitions, config });
      await waitFor("weight moved here", async () => (await weights())[p]! > 1_000_000 / partitions);
      expect((await client.post("/api/bets", betBody(home.id, stake * 2, home.odds))).status).toBe(201);
    }
    // Every partition that took part holds its weight; none was created or lost.
    await waitFor("no transfer half done", async () =>
      (await Promise.all(allPartitions(partitions).map((q) => redis.hlen(riskKeys.transfers(q))))).every((n) => n === 0),
    );
    const held = await weights();
    const untouched = held.filter((w) => w === 0).length;
    const evenShare = (q: number) => Math.floor(1_000_000 / partitions) + (q < 1_000_000 % partitions ? 1 : 0);
    expect(held.reduce((sum, w, q) => sum + (w === 0 ? evenShare(q) : w), 0)).toBe(1_000_000);
    expect(untouched).toBeLessThan(partitions);
  });

  it("applies a bettor's stake factor in acceptance and audits it", async () => {
    const match = await openMatch();
    const home = match.markets[0]!.selections[0]!;
    const bettor = await newBettor();
    const staff = await staffClient();
    const found = await staff.get(`/api/admin/users?email=${encodeURIComponent(bettor.email.toUpperCase())}`);
    expect(found.status).toBe(200);
    expect(found.body.users).toEqual([{ id: bettor.id, email: bettor.email, role: "bettor", stakeFactor: "1.00", excludedUntil: null }]);
    expect((await staff.patch(`/api/admin/users/${bettor.id}`, { stakeFactor: "1.5" })).status).toBe(400);
    expect((await staff.patch(`/api/admin/users/${randomUUID()}`, { stakeFactor: "0.50" })).status).toBe(404);
    const set = await staff.patch(`/api/admin/users/${bettor.id}`, { stakeFactor: "0.10" });
    expect(set.status).toBe(200);
    expect(set.body.user.stakeFactor).toBe("0.10");
    const audit = await staff.get(`/api/admin/audit?action=user.stake-factor&entityId=${bettor.id}`);
    expect(audit.body.entries[0]).toMatchObject({ before: { stakeFactor: "1.00" }, after: { stakeFactor: "0.10" } });

    const { client } = bettor;
    await client.post("/api/wallet/deposits", { amount: config.BET_MAX_STAKE, idempotencyKey: randomUUID() });
    await waitFor("the deposit in the Redis wallet", async () => (await client.get("/api/wallet")).body.available === config.BET_MAX_STAKE);
    const maxStake = Math.floor(config.BET_MAX_STAKE / 10);
    const refused = await client.post("/api/bets", betBody(home.id, maxStake + 1, home.odds));
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: "STAKE_TOO_HIGH", maxStake });
    expect((await client.post("/api/bets", betBody(home.id, maxStake, home.odds))).status).toBe(201);
  });
});
