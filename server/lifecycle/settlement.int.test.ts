import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { accounts, auditLog, bets, ledgerEntries, matches, settlements } from "@/drizzle/schema";
import { waitFor } from "@/scripts/lib/run";
import type { MatchDto } from "@/server/catalog/match-root";
import { getConfig } from "@/server/config";
import { pruneIdempotencyRecords } from "@/server/betting/prune-idempotency";
import { createMatchLifecycleQueue } from "@/server/jobs/match-lifecycle";
import { partitionOfUser } from "@/server/platform/partitions";
import { betBody, fundedBettor, openMatch, staffClient, waitUntilRecorded } from "@/test/support/betting";
import { connectTestDatabase } from "@/test/support/database";
import {
  closeUntilComplete,
  expectMoneyConserved,
  settleWithPsql,
  settlementState,
  waitUntilCreditsApplied,
  waitUntilSettled,
} from "@/test/support/lifecycle";
import { workerPid } from "@/test/support/processes";
import type { SettlementOutcome } from "./match-result.shared";
import { settleMatch } from "./settle-match";
import { logKeys } from "@/server/platform/redis-keys";
import { connectTestRedis } from "@/test/support/redis";

const db = connectTestDatabase();
const redis = connectTestRedis();
const queue = createMatchLifecycleQueue(connectTestRedis({ maxRetriesPerRequest: null }));
afterAll(async () => {
  await queue.close();
  redis.disconnect();
});
const partitions = getConfig({ ...process.env }).WRITE_BEHIND_PARTITIONS;

type Bettor = Awaited<ReturnType<typeof fundedBettor>>;
const selection = (match: MatchDto, i: number) => match.markets[0]!.selections[i]!;

/** Each bettor backs one selection (home, draw, away in turn) with an odd stake, so floors matter; returns bet ids. */
async function placeBets(match: MatchDto, bettors: Bettor[], stake = 333) {
  const ids: string[] = [];
  for (const [i, bettor] of bettors.entries()) {
    const s = selection(match, i % 3);
    const res = await bettor.client.post("/api/bets", betBody(s.id, stake + i, s.odds));
    expect(res.status).toBe(201);
    ids.push(res.body.bet.id);
  }
  await waitUntilRecorded(db, ids);
  return ids;
}

/** What the payout must do, computed from the bets themselves: WON pays floor(stake x odds), VOID the stake. */
async function expectedPayouts(matchId: string, result: { winnerSelectionId: string } | { void: true }) {
  const rows = await db.select().from(bets).where(eq(bets.matchId, matchId));
  return new Map(
    rows.map((b) => [
      b.id,
      "void" in result ? b.stake : b.selectionId === result.winnerSelectionId ? Math.floor((b.stake * b.odds) / 100) : 0,
    ]),
  );
}

async function balanceOf(userId: string) {
  const [row] = await db
    .select({ balance: accounts.balance })
    .from(accounts)
    .where(and(eq(accounts.userId, userId), eq(accounts.kind, "CUSTOMER")));
  return row!.balance;
}

async function payoutEntries(betIds: string[]) {
  return db
    .select()
    .from(ledgerEntries)
    .where(and(inArray(ledgerEntries.reference, betIds), inArray(ledgerEntries.kind, ["STAKE_RETURN", "WINNINGS", "STAKE_LOST"])));
}

describe("results", () => {
  it("are refused before the close, checked against the match, corrected until settlement and audited", async () => {
    const admin = await staffClient();
    const match = await openMatch();
    const [home, draw] = [selection(match, 0), selection(match, 1)];
    const early = await admin.post(`/api/admin/matches/${match.id}/result`, { winnerSelectionId: home.id });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe("INVALID_STATE");

    await closeUntilComplete(db, match.id);
    for (const body of [{}, { void: false }, { winnerSelectionId: "home" }, { winnerSelectionId: home.id, void: true }]) {
      const bad = await admin.post(`/api/admin/matches/${match.id}/result`, body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.body.error.code).toBe("VALIDATION_FAILED");
    }
    const other = await openMatch();
    const foreign = await admin.post(`/api/admin/matches/${match.id}/result`, { winnerSelectionId: selection(other, 0).id });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.issues).toEqual([{ path: "winnerSelectionId", message: "Not a selection of this match." }]);

    const first = await admin.post(`/api/admin/matches/${match.id}/result`, { winnerSelectionId: home.id });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: match.id, result: { winnerSelectionId: home.id }, settlementState: "COMPLETE" });
    const corrected = await admin.post(`/api/admin/matches/${match.id}/result`, { winnerSelectionId: draw.id });
    expect(corrected.body.result).toEqual({ winnerSelectionId: draw.id });
    const audit = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, match.id), inArray(auditLog.action, ["match.result", "match.result-correct"])))
      .orderBy(asc(auditLog.id));
    expect(audit.map((a) => [a.action, a.before, a.after])).toEqual([
      ["match.result", { result: null }, { result: { winnerSelectionId: home.id } }],
      ["match.result-correct", { result: { winnerSelectionId: home.id } }, { result: { winnerSelectionId: draw.id } }],
    ]);

    expect((await admin.post(`/api/admin/matches/${match.id}/settle`)).status).toBe(202);
    await waitUntilSettled(db, match.id);
    // The payout is audited too (I8), in the name of the staff member who pressed Settle.
    const staffId = (await admin.get("/api/auth/me")).body.user.id;
    const [settleAudit] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, match.id), eq(auditLog.action, "match.settle")));
    expect(settleAudit).toMatchObject({
      actorUserId: staffId,
      before: { settlementState: "COMPLETE" },
      after: { settlementState: "SETTLED", betsSettled: 0 },
    });
    expect((await db.select().from(settlements).where(eq(settlements.matchId, match.id)))[0]!.settledBy).toBe(staffId);
    const late = await admin.post(`/api/admin/matches/${match.id}/result`, { void: true });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe("INVALID_STATE");
    expect((await db.select().from(matches).where(eq(matches.id, match.id)))[0]).toMatchObject({
      resultSelectionId: draw.id,
      resultVoid: false,
    });
  });
});

describe("the settlement gate (I4)", () => {
  it("payout of a match that is not COMPLETE, or has no result, is refused by the API and by psql's exit code", async () => {
    const admin = await staffClient();
    const match = await openMatch();
    const [bettor] = await Promise.all([fundedBettor(10_000)]);
    const [betId] = await placeBets(match, [bettor!]);

    const incomplete = await admin.post(`/api/admin/matches/${match.id}/settle`);
    expect(incomplete.status).toBe(409);
    expect(incomplete.body.error.code).toBe("MATCH_INCOMPLETE");
    const bypassed = await settleWithPsql(match.id);
    expect(bypassed.exitCode).toBe(3);
    expect(bypassed.output).toMatch(/is not COMPLETE \(status OPEN, settlement state INCOMPLETE\)/);

    await closeUntilComplete(db, match.id);
    const noResult = await admin.post(`/api/admin/matches/${match.id}/settle`);
    expect(noResult.status).toBe(409);
    expect(noResult.body.error.code).toBe("NO_RESULT");
    const psqlNoResult = await settleWithPsql(match.id);
    expect(psqlNoResult.exitCode).toBe(3);
    expect(psqlNoResult.output).toMatch(/has no result/);

    // Nothing moved: the bet is still RECORDED, no payout entries, the match still COMPLETE, its payout not begun.
    expect((await db.select().from(bets).where(eq(bets.id, betId!)))[0]!.status).toBe("RECORDED");
    expect(await payoutEntries([betId!])).toEqual([]);
    expect(await settlementState(db, match.id)).toBe("COMPLETE");
    expect((await db.select().from(matches).where(eq(matches.id, match.id)))[0]!.payoutStartedAt).toBeNull();
    const usage = await settleWithPsql("");
    expect(usage.exitCode).not.toBe(0);
  });

  it("psql settles each bet WON (floor(stake x odds)), LOST or VOID, credits Redis through the outbox, and a second run pays nothing", async () => {
    const match = await openMatch({ home: "2.15", draw: "3.33", away: "4.07" });
    const bettors = await Promise.all(Array.from({ length: 6 }, () => fundedBettor(10_000)));
    const ids = await placeBets(match, bettors);
    await closeUntilComplete(db, match.id);
    const home = selection(match, 0);
    expect((await (await staffClient()).post(`/api/admin/matches/${match.id}/result`, { winnerSelectionId: home.id })).status).toBe(200);
    const expected = await expectedPayouts(match.id, { winnerSelectionId: home.id });

    const first = await settleWithPsql(match.id);
    expect(first.exitCode).toBe(0);
    expect(first.output).toMatch(/already_settled\s*\|\s*f/);
    expect(first.output).toMatch(/bets_settled\s*\|\s*6/);
    const settled = await db.select().from(bets).where(inArray(bets.id, ids));
    for (const bet of settled) {
      expect(bet.payout).toBe(expected.get(bet.id));
      expect(bet.status).toBe(bet.selectionId === home.id ? "WON" : "LOST");
      expect(bet.settledAt).not.toBeNull();
    }
    // 333 at 2.15 pays 715 (715.95 floored).
    expect(settled.find((b) => b.stake === 333)!.payout).toBe(715);
    const [record] = await db.select().from(settlements).where(eq(settlements.matchId, match.id));
    expect(record).toMatchObject({
      betsSettled: 6,
      won: 2,
      lost: 4,
      voided: 0,
      payouts: [...expected.values()].reduce((a, b) => a + b, 0),
    });

    const entriesAfterFirst = await payoutEntries(ids);
    expect(entriesAfterFirst.filter((e) => e.kind === "STAKE_LOST")).toHaveLength(4);
    expect(entriesAfterFirst.filter((e) => e.kind === "STAKE_RETURN")).toHaveLength(2);
    expect(entriesAfterFirst.filter((e) => e.kind === "WINNINGS")).toHaveLength(2);
    const second = await settleWithPsql(match.id);
    expect(second.exitCode).toBe(0);
    expect(second.output).toMatch(/already_settled\s*\|\s*t/);
    expect(await payoutEntries(ids)).toHaveLength(entriesAfterFirst.length);
    const again = await (await staffClient()).post(`/api/admin/matches/${match.id}/settle`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("INVALID_STATE");

    // Each bettor: deposit - stake + payout, in PostgreSQL, in the Redis wallet and in My Bets.
    await waitUntilCreditsApplied(db);
    for (const [i, bettor] of bettors.entries()) {
      const bet = settled.find((b) => b.userId === bettor.id)!;
      expect(await balanceOf(bettor.id)).toBe(10_000 - bet.stake + bet.payout!);
      await waitFor(
        "the payout in the Redis wallet",
        async () => (await bettor.client.get("/api/wallet")).body.available === 10_000 - bet.stake + bet.payout!,
        15_000,
      );
      const mine = await bettor.client.get(`/api/bets/${bet.id}`);
      expect(mine.body, `bettor ${i}`).toMatchObject({ status: bet.status, payout: bet.payout });
    }
  });

  it("a void match returns every stake", async () => {
    const match = await openMatch();
    const bettors = await Promise.all(Array.from({ length: 3 }, () => fundedBettor(5_000)));
    const ids = await placeBets(match, bettors);
    await closeUntilComplete(db, match.id);
    const admin = await staffClient();
    expect((await admin.post(`/api/admin/matches/${match.id}/result`, { void: true })).status).toBe(200);
    expect((await admin.post(`/api/admin/matches/${match.id}/settle`)).status).toBe(202);
    await waitUntilSettled(db, match.id);
    const rows = await db.select().from(bets).where(inArray(bets.id, ids));
    expect(rows.map((b) => [b.status, b.payout])).toEqual(rows.map((b) => ["VOID", b.stake]));
    for (const bettor of bettors) expect(await balanceOf(bettor.id)).toBe(5_000);
  });

  it("two settle requests at once make one payout job, and two payout runs at once pay once", async () => {
    const admin = await staffClient();
    const twice = async (settle: (matchId: string) => Promise<unknown>) => {
      const match = await openMatch();
      const ids = await placeBets(match, await Promise.all(Array.from({ length: 3 }, () => fundedBettor(5_000))));
      await closeUntilComplete(db, match.id);
      await admin.post(`/api/admin/matches/${match.id}/result`, { winnerSelectionId: selection(match, 0).id });
      const outcomes = await Promise.all([settle(match.id), settle(match.id)]);
      await waitUntilSettled(db, match.id);
      expect(await payoutEntries(ids)).toHaveLength(4); // one winner: STAKE_RETURN + WINNINGS; two losers: STAKE_LOST
      return outcomes;
    };
    const replies = (await twice((id) => admin.post(`/api/admin/matches/${id}/settle`))) as { status: number; body: { jobId: string } }[];
    expect(replies.map((r) => r.status)).toEqual([202, 202]);
    expect(replies[1]!.body.jobId).toBe(replies[0]!.body.jobId);
    // Below the job: the payout SQL itself, twice at once (the match row lock queues the second run).
    const runs = (await twice((id) => settleMatch({ db }, { matchId: id, actorUserId: null }))) as SettlementOutcome[];
    expect(runs.map((o) => o.alreadySettled).sort()).toEqual([false, true]);
    expect(runs.find((o) => o.alreadySettled)).toMatchObject({ betsSettled: 0, payouts: 0 });
  });
});

describe("the settlement worker killed -9 mid-run", () => {
  it("pays every bet once: what the payout committed stays, and the job run again finishes it or finds it settled", async () => {
    const match = await openMatch();
    const bettors = await Promise.all(Array.from({ length: 9 }, () => fundedBettor(5_000)));
    const ids = await placeBets(match, bettors);
    await closeUntilComplete(db, match.id);
    const admin = await staffClient();
    const winner = selection(match, 2);
    await admin.post(`/api/admin/matches/${match.id}/result`, { winnerSelectionId: winner.id });
    const expected = await expectedPayouts(match.id, { winnerSelectionId: winner.id });

    // Hold the HOUSE account: the payout's first chunk updates the bets, then waits on it in its ledger insert.
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let holder!: Promise<void>;
    await new Promise<void>((reserved) => {
      holder = db.transaction(async (tx) => {
        await tx.execute(sql`select 1 from accounts where kind = 'HOUSE' for update`);
        reserved();
        await released;
      });
    });
    const { jobId } = (await admin.post(`/api/admin/matches/${match.id}/settle`)).body;
    await waitFor(
      "the payout waiting mid-run",
      async () =>
        (await db.execute(sql`select 1 from pg_stat_activity where wait_event_type = 'Lock' and query like '%settle_match(%'`)).length ===
        1,
      30_000,
    );
    const job = await queue.getJob(jobId);
    const pid = workerPid(job!.processedBy ?? "");
    expect(pid).not.toBeNull();
    process.kill(pid!, "SIGKILL");
    // The waiting chunk had paid nothing; the payout's first transaction had committed: the result is final now.
    expect(await payoutEntries(ids)).toEqual([]);
    expect((await db.select().from(matches).where(eq(matches.id, match.id)))[0]!.payoutStartedAt).not.toBeNull();
    release();
    await holder;

    // The orphaned CALL runs on in PostgreSQL (each chunk commits without its client), and the restarted worker
    // picks the stalled job up again (its lock expires after 10 s): whichever finishes first writes the totals.
    await waitUntilSettled(db, match.id);
    await waitFor("the job completed", async () => (await (await queue.getJob(jobId))!.getState()) === "completed", 30_000);
    const rows = await db.select().from(bets).where(inArray(bets.id, ids));
    for (const bet of rows) expect(bet.payout).toBe(expected.get(bet.id));
    const [record] = await db.select().from(settlements).where(eq(settlements.matchId, match.id));
    expect(record).toMatchObject({ betsSettled: 9, won: 3, lost: 6, payouts: [...expected.values()].reduce((a, b) => a + b, 0) });
    expect(await payoutEntries(ids)).toHaveLength(3 * 2 + 6);
    const status = await admin.get(`/api/admin/matches/${match.id}/settlement`);
    expect(status.body).toMatchObject({
      settlementState: "SETTLED",
      job: { id: jobId, state: "completed" },
      settlement: { betsSettled: 9 },
    });
    expect(status.body.markers).toHaveLength(partitions);
    expect(status.body.markers.every((m: { applied: boolean }) => m.applied)).toBe(true);
  });
});

describe("conservation of money over the lifecycle (I6)", () => {
  it("deposits = customer balances + house result + stakes in flight, with Redis drift 0, at every stage", async () => {
    await waitUntilCreditsApplied(db);
    const start = await expectMoneyConserved(db, redis, partitions);
    const match = await openMatch({ home: "1.85", draw: "3.45", away: "4.95" });
    const bettors = await Promise.all(Array.from({ length: 6 }, () => fundedBettor(20_000)));
    await waitUntilCreditsApplied(db);
    expect((await expectMoneyConserved(db, redis, partitions)).deposits).toBe(start.deposits + 6 * 20_000);

    const ids = await placeBets(match, bettors, 1_999);
    const stakes = (await db.select().from(bets).where(inArray(bets.id, ids))).reduce((sum, b) => sum + b.stake, 0);
    expect((await expectMoneyConserved(db, redis, partitions)).stakesInFlight).toBe(start.stakesInFlight + stakes);

    await closeUntilComplete(db, match.id);
    await expectMoneyConserved(db, redis, partitions);
    await (await staffClient()).post(`/api/admin/matches/${match.id}/result`, { winnerSelectionId: selection(match, 1).id });
    expect((await (await staffClient()).post(`/api/admin/matches/${match.id}/settle`)).status).toBe(202);
    await waitUntilSettled(db, match.id);
    await waitUntilCreditsApplied(db);
    const end = await expectMoneyConserved(db, redis, partitions);
    const expected = await expectedPayouts(match.id, { winnerSelectionId: selection(match, 1).id });
    const payouts = [...expected.values()].reduce((a, b) => a + b, 0);
    expect(end.stakesInFlight).toBe(start.stakesInFlight);
    expect(end.houseResult - start.houseResult).toBe(stakes - payouts);
  });
});

describe("idempotency records after the payout", () => {
  it("are dropped once the retention has passed; a replay is then refused MATCH_CLOSED and adds no bet", async () => {
    const match = await openMatch();
    const [bettor] = await Promise.all([fundedBettor(5_000)]);
    const s = selection(match, 0);
    const body = betBody(s.id, 250, s.odds);
    const placed = await bettor!.client.post("/api/bets", body);
    expect(placed.status).toBe(201);
    await waitUntilRecorded(db, [placed.body.bet.id]);
    await closeUntilComplete(db, match.id);
    await (await staffClient()).post(`/api/admin/matches/${match.id}/result`, { winnerSelectionId: s.id });
    expect((await settleWithPsql(match.id)).exitCode).toBe(0);
    const idempotency = logKeys.idempotency(partitionOfUser(bettor!.id, partitions), bettor!.id);

    // Within the retention the replay still answers with the bet, now WON.
    expect(await pruneIdempotencyRecords({ db, redis }, { settledBefore: new Date(Date.now() - 3_600_000) })).toMatchObject({ records: 0 });
    const replay = await bettor!.client.post("/api/bets", body);
    expect(replay.status).toBe(200);
    expect(replay.body.bet).toMatchObject({ id: placed.body.bet.id, status: "WON" });

    const pruned = await pruneIdempotencyRecords({ db, redis }, { settledBefore: new Date() });
    expect(pruned.records).toBeGreaterThanOrEqual(1);
    expect(await redis.hget(idempotency, body.idempotencyKey)).toBeNull();
    const late = await bettor!.client.post("/api/bets", body);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe("MATCH_CLOSED");
    expect(await db.select().from(bets).where(eq(bets.userId, bettor!.id))).toHaveLength(1);
    expect((await db.select().from(settlements).where(eq(settlements.matchId, match.id)))[0]!.idempotencyPrunedAt).not.toBeNull();
    expect(await pruneIdempotencyRecords({ db, redis }, { settledBefore: new Date() })).toEqual({ matches: 0, records: 0 });
  });
});
