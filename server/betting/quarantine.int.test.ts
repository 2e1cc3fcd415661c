import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, bets, quarantinedEntries } from "@/drizzle/schema";
import { waitFor } from "@/scripts/lib/run";
import type { MatchDto } from "@/server/catalog/match-root";
import { parseOdds } from "@/server/odds.shared";
import { getConfig } from "@/server/config";
import { partitionOfUser } from "@/server/platform/partitions";
import { newBettor, requiredEnv, type ApiClient } from "@/test/support/api-client";
import { betBody, fundedBettor, openMatch, staffClient, waitUntilRecorded } from "@/test/support/betting";
import { connectTestDatabase } from "@/test/support/database";
import {
  closeUntilComplete,
  expectMoneyConserved,
  settleWithPsql,
  waitUntilCreditsApplied,
  waitUntilSettled,
} from "@/test/support/lifecycle";
import { readMetric } from "@/test/support/web-instances";
import { logFormatLua } from "./write-behind-log";
import { logKeys, walletKeys } from "@/server/platform/redis-keys";
import { connectTestRedis } from "@/test/support/redis";

const db = connectTestDatabase();
const redis = connectTestRedis();
const partitions = getConfig({ ...process.env }).WRITE_BEHIND_PARTITIONS;

/**
 * What acceptance did for the NUL-key bet of the hardening issue, before the boundary refused it: reserve the stake,
 * remember the bet as pending and log it, in one step. The HTTP API can no longer produce such an entry (that is
 * tested below), so the test writes it as the acceptance script would have, to prove the flusher's defence.
 */
async function logAcknowledgedBet(
  userId: string,
  match: MatchDto,
  fields: { stake: number; idempotencyKey: string; selectionId?: string },
) {
  const p = partitionOfUser(userId, partitions);
  const selection = { ...match.markets[0]!.selections[0]!, ...(fields.selectionId ? { id: fields.selectionId } : {}) };
  const betId = randomUUID();
  const streamId = (await redis.eval(
    `${logFormatLua}
    local id = logBet(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7])
    redis.call('HINCRBY', KEYS[2], 'available', -tonumber(ARGV[5]))
    redis.call('HINCRBY', KEYS[2], 'pending', tonumber(ARGV[5]))
    redis.call('HSET', KEYS[3], ARGV[1], acceptedBetRecord(ARGV[1], id, ARGV[3], ARGV[4], ARGV[5], ARGV[6]))
    return id`,
    3,
    logKeys.stream(p),
    walletKeys.wallet(p, userId),
    logKeys.pending(p, userId),
    betId,
    userId,
    selection.id,
    match.id,
    fields.stake,
    parseOdds(selection.odds),
    fields.idempotencyKey,
  )) as string;
  return { betId, streamId, partition: p };
}

/** The wallet as the bettor sees it, once it has come to `expected` (flush acknowledgements land a moment later). */
async function walletComesTo(client: ApiClient, expected: { available: number; pendingStakes: number; balance: number }) {
  let wallet: unknown;
  await waitFor(
    `the wallet at ${JSON.stringify(expected)}`,
    async () => {
      wallet = (await client.get("/api/wallet")).body;
      return Object.entries(expected).every(([k, v]) => (wallet as Record<string, number>)[k] === v);
    },
    30_000,
  ).catch(() => expect(wallet).toMatchObject(expected));
}

async function waitUntilQuarantined(partition: number, streamId: string) {
  await waitFor(
    "the entry in quarantine",
    async () =>
      (
        await db
          .select()
          .from(quarantinedEntries)
          .where(and(eq(quarantinedEntries.partition, partition), eq(quarantinedEntries.streamId, streamId)))
      ).length === 1,
    30_000,
  );
}

describe("a log entry PostgreSQL refuses (I9)", () => {
  it("is refused at the boundary when it comes through the API", async () => {
    const bettor = await fundedBettor(10_000);
    const match = await openMatch();
    const s = match.markets[0]!.selections[0]!;
    const res = await bettor.client.post("/api/bets", betBody(s.id, 100, s.odds, { idempotencyKey: `k\u0000${randomUUID()}` }));
    expect(res.status).toBe(400);
    expect(res.body.error.issues).toEqual([{ path: "idempotencyKey", message: "The idempotency key may not contain control characters." }]);
    expect((await bettor.client.get("/api/wallet")).body).toMatchObject({ available: 10_000, pendingStakes: 0 });
  });

  it("is quarantined: its partition flows, its stake stays reserved, its match cannot be paid until staff refund it", async () => {
    const admin = await staffClient();
    const bettor = await fundedBettor(10_000);
    const match = await openMatch();
    const poison = await logAcknowledgedBet(bettor.id, match, { stake: 500, idempotencyKey: `k\u0000${randomUUID()}` });

    // Later bets of the same partition are written, in order, past the refused entry.
    const s = match.markets[0]!.selections[1]!;
    const later: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await bettor.client.post("/api/bets", betBody(s.id, 1_000, s.odds));
      expect(res.status).toBe(201);
      later.push(res.body.bet.id);
    }
    await waitUntilRecorded(db, later);
    await waitUntilQuarantined(poison.partition, poison.streamId);
    const [entry] = await db.select().from(quarantinedEntries).where(eq(quarantinedEntries.streamId, poison.streamId));
    expect(entry).toMatchObject({ betId: poison.betId, userId: bettor.id, matchId: match.id, stake: 500, resolution: null });
    expect(JSON.parse(entry!.entry).idempotencyKey).toContain("\u0000");
    expect(await db.select().from(bets).where(eq(bets.id, poison.betId))).toEqual([]);

    // The stake stays reserved: pending in the wallet, the bet still ACCEPTED for the bettor.
    await walletComesTo(bettor.client, { available: 10_000 - 500 - 3_000, pendingStakes: 500, balance: 10_000 - 3_000 });
    expect((await bettor.client.get(`/api/bets/${poison.betId}`)).body).toMatchObject({ status: "ACCEPTED", stake: 500 });

    // Staff see it on the write-behind API and at /api/metrics.
    const status = await admin.get("/api/admin/write-behind");
    expect(status.body.partitions[poison.partition].quarantined).toBe(1);
    expect(status.body.quarantine).toContainEqual(
      expect.objectContaining({ streamId: poison.streamId, betId: poison.betId, resolution: null }),
    );
    expect(await readMetric(requiredEnv("APP_URL"), "bookmaker_write_behind_quarantined", `partition="${poison.partition}"`)).toBe(1);

    // The match completes (its markers flow too), but neither the API nor psql pays it out.
    await closeUntilComplete(db, match.id);
    expect((await admin.post(`/api/admin/matches/${match.id}/result`, { winnerSelectionId: s.id })).status).toBe(200);
    const refused = await admin.post(`/api/admin/matches/${match.id}/settle`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "BETS_QUARANTINED", quarantined: 1 });
    const psql = await settleWithPsql(match.id);
    expect(psql.exitCode).toBe(3);
    expect(psql.output).toContain("in quarantine");

    // Recording is refused again by PostgreSQL (the key holds a NUL): refund it instead, audited.
    const entryPath = `/api/admin/write-behind/quarantine/${poison.partition}/${poison.streamId}`;
    const record = await admin.post(entryPath, { action: "record" });
    expect(record.status).toBe(409);
    expect(record.body.error.message).toContain("PostgreSQL still refuses this entry");
    const refund = await admin.post(entryPath, { action: "refund" });
    expect(refund.status).toBe(200);
    expect(refund.body.entry).toMatchObject({ resolution: "REFUNDED", betId: poison.betId });
    expect((await admin.post(entryPath, { action: "refund" })).status).toBe(409);
    const audit = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "write-behind.quarantine-refund"), eq(auditLog.entityId, `${poison.partition}/${poison.streamId}`)));
    expect(audit).toHaveLength(1);
    await walletComesTo(bettor.client, { available: 10_000 - 3_000, pendingStakes: 0, balance: 10_000 - 3_000 });
    // The bettor sees it void, the stake given back.
    expect((await bettor.client.get(`/api/bets/${poison.betId}`)).body).toMatchObject({ status: "VOID", stake: 500, payout: 500 });
    expect((await bettor.client.get("/api/bets?status=VOID")).body.bets.map((b: { id: string }) => b.id)).toEqual([poison.betId]);

    const settle = await admin.post(`/api/admin/matches/${match.id}/settle`);
    expect(settle.status).toBe(202);
    await waitUntilSettled(db, match.id);
    await waitUntilCreditsApplied(db);
    await expectMoneyConserved(db, redis, partitions);
  });

  it("is quarantined when it names a selection that does not exist (23503, the bets' references checked per statement)", async () => {
    const admin = await staffClient();
    const bettor = await fundedBettor(10_000);
    const match = await openMatch();
    const poison = await logAcknowledgedBet(bettor.id, match, { stake: 500, idempotencyKey: randomUUID(), selectionId: randomUUID() });
    const s = match.markets[0]!.selections[1]!;
    const later = await bettor.client.post("/api/bets", betBody(s.id, 1_000, s.odds));
    expect(later.status).toBe(201);
    await waitUntilRecorded(db, [later.body.bet.id]);
    await waitUntilQuarantined(poison.partition, poison.streamId);
    const [entry] = await db.select().from(quarantinedEntries).where(eq(quarantinedEntries.streamId, poison.streamId));
    expect(entry).toMatchObject({ errorCode: "23503", betId: poison.betId, resolution: null });
    expect(entry!.error).toContain("selection");
    expect(await db.select().from(bets).where(eq(bets.id, poison.betId))).toEqual([]);
    const refund = await admin.post(`/api/admin/write-behind/quarantine/${poison.partition}/${poison.streamId}`, { action: "refund" });
    expect(refund.status).toBe(200);
    await walletComesTo(bettor.client, { available: 10_000 - 1_000, pendingStakes: 0, balance: 10_000 - 1_000 });
  });

  it("can be recorded by staff once PostgreSQL would take it, and an unreadable entry dismissed", async () => {
    const admin = await staffClient();
    // No deposit in PostgreSQL: the STAKE debit breaks the non-negative balance check (a wallet that drifted).
    const bettor = await newBettor();
    const match = await openMatch();
    const poison = await logAcknowledgedBet(bettor.id, match, { stake: 500, idempotencyKey: randomUUID() });
    // An entry of a type no flusher knows (from a newer version, say): no reservation goes with it.
    const mystery = {
      partition: poison.partition,
      streamId: (await redis.xadd(logKeys.stream(poison.partition), "*", "type", "mystery", "matchId", match.id))!,
    };
    await waitUntilQuarantined(poison.partition, poison.streamId);
    await waitUntilQuarantined(mystery.partition, mystery.streamId);
    const [entry] = await db.select().from(quarantinedEntries).where(eq(quarantinedEntries.streamId, poison.streamId));
    expect(entry!.errorCode).toBe("23514");

    const deposit = await bettor.client.post("/api/wallet/deposits", { amount: 1_000, idempotencyKey: randomUUID() });
    expect(deposit.status).toBe(201);
    const recorded = await admin.post(`/api/admin/write-behind/quarantine/${poison.partition}/${poison.streamId}`, { action: "record" });
    expect(recorded.status).toBe(200);
    expect((await bettor.client.get(`/api/bets/${poison.betId}`)).body).toMatchObject({ status: "RECORDED", stake: 500 });
    expect(
      (await admin.post(`/api/admin/write-behind/quarantine/${mystery.partition}/${mystery.streamId}`, { action: "record" })).status,
    ).toBe(409);
    expect(
      (await admin.post(`/api/admin/write-behind/quarantine/${mystery.partition}/${mystery.streamId}`, { action: "refund" })).status,
    ).toBe(200);

    // 1000 deposited, 500 staked and now recorded: nothing pending.
    await walletComesTo(bettor.client, { balance: 500, available: 500, pendingStakes: 0 });
    expect((await admin.post(`/api/admin/write-behind/quarantine/${poison.partition}/x`, { action: "refund" })).status).toBe(400);
    expect(
      (await bettor.client.post(`/api/admin/write-behind/quarantine/${poison.partition}/${poison.streamId}`, { action: "refund" })).status,
    ).toBe(403);
  });
});
