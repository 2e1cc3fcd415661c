import { randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accounts, bets, ledgerEntries, withdrawals } from "@/drizzle/schema";
import { waitFor } from "@/scripts/lib/run";
import { getConfig } from "@/server/config";
import { partitionOfUser } from "@/server/platform/partitions";
import { walletKeys } from "@/server/platform/redis-keys";
import { ApiClient } from "@/test/support/api-client";
import { betBody, fundedBettor, openMatch, waitUntilRecorded } from "@/test/support/betting";
import { connectTestDatabase } from "@/test/support/database";
import { connectTestRedis } from "@/test/support/redis";
import { startWebInstances } from "@/test/support/web-instances";
import { reconcileWallets } from "./reconcile-wallets";
import {
  finishReservation,
  recordWithdrawal,
  repairWithdrawals,
  reservedWithdrawals,
  reserveWithdrawal,
  type Reservation,
} from "./withdrawals";

const db = connectTestDatabase();
const redis = connectTestRedis();
const config = getConfig({ ...process.env });
const partitions = config.WRITE_BEHIND_PARTITIONS;
const deps = { db, redis, partitions, config };

async function postgresBalance(userId: string) {
  const [account] = await db
    .select()
    .from(accounts)
    .where(and(eq(accounts.userId, userId), eq(accounts.kind, "CUSTOMER")));
  return account!.balance;
}

async function redisWallet(userId: string) {
  const wallet = await redis.hgetall(walletKeys.wallet(partitionOfUser(userId, partitions), userId));
  return { available: Number(wallet.available ?? 0), pending: Number(wallet.pending ?? 0), withdrawing: Number(wallet.withdrawing ?? 0) };
}

const driftOf = async (userId: string) => (await reconcileWallets(deps)).worst.find((d) => d.userId === userId)?.drift ?? 0;

const recordedWithdrawals = async (userId: string) =>
  (await db.select().from(withdrawals).where(eq(withdrawals.userId, userId))).filter((w) => w.status === "RECORDED");

describe("withdrawals (I5, I15)", () => {
  it("withdraw once per key: 201, the replay 200, another amount 409, more than available 422", async () => {
    const { client, id } = await fundedBettor(10_000);
    const body = { amount: 2_500, idempotencyKey: randomUUID() };
    const first = await client.post("/api/wallet/withdrawals", body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ withdrawal: { amount: 2_500 }, wallet: { available: 7_500, balance: 7_500, pendingStakes: 0 } });
    const replay = await client.post("/api/wallet/withdrawals", body);
    expect(replay.status).toBe(200);
    expect(replay.body.withdrawal).toEqual(first.body.withdrawal);
    const reused = await client.post("/api/wallet/withdrawals", { ...body, amount: 100 });
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe("IDEMPOTENCY_KEY_REUSED");
    const tooMuch = await client.post("/api/wallet/withdrawals", { amount: 7_501, idempotencyKey: randomUUID() });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error).toMatchObject({ code: "INSUFFICIENT_FUNDS", available: 7_500 });

    const entries = await db.select().from(ledgerEntries).where(eq(ledgerEntries.reference, first.body.withdrawal.id));
    expect(entries.map((e) => [e.kind, e.amount])).toEqual([["WITHDRAWAL", 2_500]]);
    expect(await redisWallet(id)).toEqual({ available: 7_500, pending: 0, withdrawing: 0 });
    expect(await driftOf(id)).toBe(0);

    const listed = await client.get("/api/wallet/transactions");
    expect(listed.status).toBe(200);
    expect(
      listed.body.transactions.map((t: { kind: string; amount: number; balanceAfter: number }) => [t.kind, t.amount, t.balanceAfter]),
    ).toEqual([
      ["WITHDRAWAL", -2_500, 7_500],
      ["DEPOSIT", 10_000, 10_000],
    ]);
    // Paged one at a time: the same entries, the same balances, then the end.
    const newest = await client.get("/api/wallet/transactions?limit=1");
    const second = await client.get(`/api/wallet/transactions?limit=1&cursor=${newest.body.nextCursor}`);
    expect([...newest.body.transactions, ...second.body.transactions]).toEqual(listed.body.transactions);
    expect(second.body.nextCursor).toBeNull();
  });

  it("withdrawals racing bets never overdraw: every acknowledged stake and withdrawal fits in what was deposited", async () => {
    const match = await openMatch();
    const selection = match.markets[0]!.selections[0]!;
    const deposited = 10_000;
    const bettors = await Promise.all(Array.from({ length: 4 }, () => fundedBettor(deposited)));
    const outcomes = await Promise.all(
      bettors.map(async ({ client, id }) => {
        // 8 bets of 900 and 8 withdrawals of 700, all at once: twice what the wallet holds.
        const requests = Array.from({ length: 16 }, (_, i) =>
          i % 2 === 0
            ? client
                .post("/api/bets", betBody(selection.id, 900, selection.odds))
                .then((r) => ({ kind: "bet", status: r.status, body: r.body }))
            : client
                .post("/api/wallet/withdrawals", { amount: 700, idempotencyKey: randomUUID() })
                .then((r) => ({ kind: "withdrawal", status: r.status, body: r.body })),
        );
        return { id, answers: await Promise.all(requests) };
      }),
    );
    for (const { id, answers } of outcomes) {
      for (const a of answers) expect([201, 422], JSON.stringify(a.body)).toContain(a.status);
      const betIds = answers.filter((a) => a.kind === "bet" && a.status === 201).map((a) => a.body.bet.id as string);
      const withdrawn = answers.filter((a) => a.kind === "withdrawal" && a.status === 201).length * 700;
      const staked = betIds.length * 900;
      expect(staked + withdrawn).toBeLessThanOrEqual(deposited);
      // Refusals only when the rest would not fit: the wallet was used up to less than the larger request.
      expect(deposited - staked - withdrawn).toBeLessThan(900);
      await waitUntilRecorded(db, betIds);
      await waitFor("the stakes released", async () => (await redisWallet(id)).pending === 0, 30_000);
      expect(await redisWallet(id)).toEqual({ available: deposited - staked - withdrawn, pending: 0, withdrawing: 0 });
      expect(await postgresBalance(id)).toBe(deposited - staked - withdrawn);
      expect((await recordedWithdrawals(id)).reduce((sum, w) => sum + w.amount, 0)).toBe(withdrawn);
      expect(await db.select().from(bets).where(inArray(bets.id, betIds))).toHaveLength(betIds.length);
    }
  });
});

describe("a withdrawal interrupted between its steps (a web process killed) loses and duplicates nothing", () => {
  const reserve = async (userId: string, amount: number) => {
    const reserved = await reserveWithdrawal(deps, { userId, amount, idempotencyKey: randomUUID() });
    if (!("reservation" in reserved)) throw new Error("not reserved");
    return reserved.reservation;
  };
  // The repair job, as if the reservation were older than its minute.
  const repair = () => repairWithdrawals(deps, { now: Date.now() + 60_000 });

  it("after the reservation only: bets cannot use the money meanwhile, then the repair gives it back and the key is spent", async () => {
    const { client, id } = await fundedBettor(5_000);
    const reservation = await reserve(id, 4_000);
    // The process died here. The money is out of reach of bets (I15) and no drift is reported.
    expect(await redisWallet(id)).toEqual({ available: 1_000, pending: 0, withdrawing: 4_000 });
    expect(await driftOf(id)).toBe(0);
    expect(await repairWithdrawals(deps)).toEqual({ released: 0, givenBack: 0 }); // younger than a minute: in flight

    expect(await repair()).toMatchObject({ givenBack: 1 });
    expect(await redisWallet(id)).toEqual({ available: 5_000, pending: 0, withdrawing: 0 });
    expect(await postgresBalance(id)).toBe(5_000);
    expect(await recordedWithdrawals(id)).toEqual([]);
    expect(await driftOf(id)).toBe(0);
    // The client retrying with its key learns it was cancelled; nothing moves.
    const retry = await client.post("/api/wallet/withdrawals", { amount: 4_000, idempotencyKey: reservation.key });
    expect(retry.status).toBe(409);
    expect(await redisWallet(id)).toMatchObject({ available: 5_000 });
  });

  it("after the reservation, a retry with the same key finishes it: one withdrawal, 200", async () => {
    const { client, id } = await fundedBettor(5_000);
    const reservation = await reserve(id, 1_500);
    const retry = await client.post("/api/wallet/withdrawals", { amount: 1_500, idempotencyKey: reservation.key });
    expect(retry.status).toBe(200);
    expect(retry.body.withdrawal).toEqual({ id: reservation.id, amount: 1_500 });
    expect(await redisWallet(id)).toEqual({ available: 3_500, pending: 0, withdrawing: 0 });
    expect(await postgresBalance(id)).toBe(3_500);
  });

  it("after the ledger, before the release: the repair releases it; paid out once, never given back", async () => {
    const { client, id } = await fundedBettor(5_000);
    const reservation = await reserve(id, 2_000);
    await recordWithdrawal(deps, reservation);
    // The process died here: PostgreSQL paid it out, Redis still holds the reservation. Reconciliation knows.
    expect(await postgresBalance(id)).toBe(3_000);
    expect(await redisWallet(id)).toEqual({ available: 3_000, pending: 0, withdrawing: 2_000 });
    expect(await driftOf(id)).toBe(0);
    const replay = await client.post("/api/wallet/withdrawals", { amount: 2_000, idempotencyKey: reservation.key });
    expect(replay.status).toBe(200);
    expect(replay.body.withdrawal.id).toBe(reservation.id);

    expect(await repair()).toEqual({ released: 0, givenBack: 0 }); // the replay finished it already
    expect(await redisWallet(id)).toEqual({ available: 3_000, pending: 0, withdrawing: 0 });
    expect((await recordedWithdrawals(id)).map((w) => w.amount)).toEqual([2_000]);
  });

  it("after the ledger, with nobody retrying: the repair job releases it", async () => {
    const { id } = await fundedBettor(5_000);
    const reservation = await reserve(id, 2_000);
    await recordWithdrawal(deps, reservation);
    expect(await repair()).toMatchObject({ released: 1 });
    expect(await redisWallet(id)).toEqual({ available: 3_000, pending: 0, withdrawing: 0 });
    expect(await postgresBalance(id)).toBe(3_000);
    expect(await driftOf(id)).toBe(0);
  });

  it("a web process that wakes up after the repair cancelled its withdrawal cannot pay it out", async () => {
    const { id } = await fundedBettor(5_000);
    const reservation: Reservation = await reserve(id, 2_500);
    expect(await repair()).toMatchObject({ givenBack: 1 });
    // The late process goes on with step 2 and 3: PostgreSQL has the key decided as CANCELLED.
    const row = await recordWithdrawal(deps, reservation);
    expect(row.status).toBe("CANCELLED");
    expect(await finishReservation(deps, reservation, row)).toBe("given back");
    expect(await redisWallet(id)).toEqual({ available: 5_000, pending: 0, withdrawing: 0 });
    expect(await postgresBalance(id)).toBe(5_000);
    expect(await db.select().from(ledgerEntries).where(eq(ledgerEntries.reference, reservation.id))).toEqual([]);
  });
});

describe("a web process killed -9 with withdrawals in flight", () => {
  it("leaves every bettor's money where it belongs once the repair job has run: acknowledged ones paid out once, the rest given back", async () => {
    const { urls, instances } = await startWebInstances(1, 3270);
    const deposited = 10_000;
    const bettors = await Promise.all(Array.from({ length: 3 }, () => fundedBettor(deposited)));
    const answers: { userId: string; key: string; status: number; id?: string }[] = [];
    let isKilled = false;
    // Each bettor withdraws 100 at a time through the doomed instance, 20 requests in flight, until it dies.
    const loads = bettors.map(async ({ client, id }) => {
      const doomed = new ApiClient(urls[0]!, client.ip);
      doomed.setCookie("bm_session", client.cookie("bm_session")!);
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          while (!isKilled) {
            const key = randomUUID();
            const res = await doomed
              .post("/api/wallet/withdrawals", { amount: 100, idempotencyKey: key })
              .catch(() => ({ status: 0, body: null }));
            answers.push({ userId: id, key, status: res.status, id: res.body?.withdrawal?.id });
          }
        }),
      );
    });
    await waitFor("some withdrawals acknowledged", async () => answers.filter((a) => a.status === 201).length >= 30, 30_000);
    instances[0]!.kill();
    isKilled = true;
    await Promise.all(loads);

    const left = (await reservedWithdrawalsOf(bettors.map((b) => b.id))).length;
    const repaired = await repairWithdrawals(deps, { now: Date.now() + 60_000 });
    console.log(
      `killed with withdrawals in flight: ${answers.filter((a) => a.status === 201).length} acknowledged, ${answers.filter((a) => a.status === 0).length} unanswered, ${left} reservations left behind (repair: ${JSON.stringify(repaired)})`,
    );
    for (const { id } of bettors) {
      const recorded = await recordedWithdrawals(id);
      const recordedIds = new Set(recorded.map((w) => w.id));
      // Every acknowledged withdrawal is in PostgreSQL; nothing else was paid out but what PostgreSQL recorded.
      for (const a of answers.filter((a) => a.userId === id && a.status === 201)) expect(recordedIds.has(a.id!)).toBe(true);
      const paidOut = recorded.reduce((sum, w) => sum + w.amount, 0);
      const entries = await db
        .select()
        .from(ledgerEntries)
        .where(inArray(ledgerEntries.reference, [...recordedIds, randomUUID()]));
      expect(entries.filter((e) => e.kind === "WITHDRAWAL")).toHaveLength(recorded.length);
      expect(await postgresBalance(id)).toBe(deposited - paidOut);
      expect(await redisWallet(id)).toEqual({ available: deposited - paidOut, pending: 0, withdrawing: 0 });
      expect(await driftOf(id)).toBe(0);
    }
    expect(await reservedWithdrawalsOf(bettors.map((b) => b.id))).toEqual([]);
  }, 180_000);
});

async function reservedWithdrawalsOf(userIds: string[]) {
  return (await reservedWithdrawals(deps)).filter((r) => userIds.includes(r.userId));
}
