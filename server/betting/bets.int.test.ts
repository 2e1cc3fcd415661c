import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { accounts, bets, ledgerEntries } from "@/drizzle/schema";
import { waitFor } from "@/scripts/lib/run";
import type { MatchDto } from "@/server/catalog/match-root";
import { getConfig } from "@/server/config";
import { newBettor } from "@/test/support/api-client";
import { betBody, fundedBettor, openMatch, staffClient, waitUntilRecorded } from "@/test/support/betting";
import { connectTestDatabase } from "@/test/support/database";
import { reconcileWallets } from "@/server/wallet/reconcile-wallets";
import { compareStreamIds } from "./write-behind-log";
import { logKeys } from "@/server/platform/redis-keys";
import { connectTestRedis } from "@/test/support/redis";

const db = connectTestDatabase();
const redis = connectTestRedis();
const partitions = getConfig({ ...process.env }).WRITE_BEHIND_PARTITIONS;

let match: MatchDto;
let home: { id: string; odds: string };
beforeAll(async () => {
  match = await openMatch();
  home = match.markets[0]!.selections[0]!;
});

async function stakeDebits(betIds: string[]) {
  return db
    .select()
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.kind, "STAKE"), inArray(ledgerEntries.reference, betIds)));
}

describe("POST /api/bets", () => {
  it("accepts a bet (201, ACCEPTED), reserves the stake at once and records it in PostgreSQL with one debit", async () => {
    const { client, id: userId } = await fundedBettor(10_000);
    const res = await client.post("/api/bets", betBody(home.id, 1_000, home.odds));
    expect(res.status).toBe(201);
    expect(res.body.bet).toMatchObject({
      selectionId: home.id,
      matchId: match.id,
      stake: 1_000,
      odds: home.odds,
      potentialReturn: 2_100,
      status: "ACCEPTED",
      payout: null,
      settledAt: null,
    });
    expect((await client.get("/api/wallet")).body).toMatchObject({ available: 9_000 });
    const [row] = await waitUntilRecorded(db, [res.body.bet.id]);
    expect(row).toMatchObject({ userId, stake: 1_000, odds: 210, reference: res.body.bet.reference, status: "RECORDED" });
    expect(await stakeDebits([res.body.bet.id])).toHaveLength(1);
    await waitFor(
      "the bet RECORDED through the API",
      async () => (await client.get(`/api/bets/${res.body.bet.id}`)).body.status === "RECORDED",
      10_000,
    );
    await waitFor("the wallet settled", async () => {
      const wallet = (await client.get("/api/wallet")).body;
      return wallet.available === 9_000 && wallet.balance === 9_000 && wallet.pendingStakes === 0;
    });
  });

  it("I5: 200 concurrent bets against funds for 100 accept exactly 100 and never go below zero", async () => {
    const { client, id: userId } = await fundedBettor(100 * 500);
    const responses = await Promise.all(Array.from({ length: 200 }, () => client.post("/api/bets", betBody(home.id, 500, home.odds))));
    const accepted = responses.filter((r) => r.status === 201);
    const refused = responses.filter((r) => r.status !== 201);
    expect(accepted).toHaveLength(100);
    expect(refused.every((r) => r.status === 422 && r.body.error.code === "INSUFFICIENT_FUNDS")).toBe(true);
    expect((await client.get("/api/wallet")).body.available).toBe(0);
    await waitUntilRecorded(
      db,
      accepted.map((r) => r.body.bet.id),
    );
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(bets)
      .where(eq(bets.userId, userId));
    expect(row!.n).toBe(100);
    const [account] = await db
      .select()
      .from(accounts)
      .where(and(eq(accounts.userId, userId), eq(accounts.kind, "CUSTOMER")));
    expect(account!.balance).toBe(0);
  });

  it("I2: 10 concurrent requests with one key make one bet and one debit; the same key with another body is refused", async () => {
    const { client } = await fundedBettor(10_000);
    const body = betBody(home.id, 700, home.odds);
    const responses = await Promise.all(Array.from({ length: 10 }, () => client.post("/api/bets", body)));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 200)).toHaveLength(9);
    const ids = new Set(responses.map((r) => r.body.bet.id));
    expect(ids.size).toBe(1);
    expect((await client.get("/api/wallet")).body.available).toBe(9_300);
    const reused = await client.post("/api/bets", { ...body, stake: 800 });
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe("IDEMPOTENCY_KEY_REUSED");
    const [betId] = [...ids];
    await waitUntilRecorded(db, [betId!]);
    expect(await stakeDebits([betId!])).toHaveLength(1);
    // A replay after the flush still returns the same bet, as it is now, and debits nothing.
    const late = await client.post("/api/bets", body);
    expect(late.status).toBe(200);
    expect(late.body.bet).toMatchObject({ id: betId, status: "RECORDED" });
    expect((await client.get("/api/wallet")).body.available).toBe(9_300);
  });

  it("I3: one bettor's bets reach PostgreSQL in acceptance order", async () => {
    const { client, id: userId } = await fundedBettor(50_000);
    const placed: string[] = [];
    for (let i = 0; i < 40; i++) placed.push((await client.post("/api/bets", betBody(home.id, 100 + i, home.odds))).body.bet.id);
    await waitUntilRecorded(db, placed);
    const byStream = await db.select({ id: bets.id, streamId: bets.streamId }).from(bets).where(eq(bets.userId, userId));
    expect(byStream.sort((a, b) => compareStreamIds(a.streamId, b.streamId)).map((b) => b.id)).toEqual(placed);
    // The debits were written in the same order.
    const debits = await db
      .select({ reference: ledgerEntries.reference })
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.kind, "STAKE"), inArray(ledgerEntries.reference, placed)))
      .orderBy(asc(ledgerEntries.id));
    expect(debits.map((d) => d.reference)).toEqual(placed);
  });

  it("takes odds with one decimal as the same odds ('2.1' is 2.10) and answers with two", async () => {
    const { client } = await fundedBettor(10_000);
    expect(home.odds).toBe("2.10");
    const body = betBody(home.id, 1_000, "2.1");
    const res = await client.post("/api/bets", body);
    expect(res.status).toBe(201);
    expect(res.body.bet).toMatchObject({ odds: "2.10", potentialReturn: 2_100 });
    // The same bet written with two decimals is the same body: a replay, not a reused key.
    const replay = await client.post("/api/bets", { ...body, odds: "2.10" });
    expect(replay.status).toBe(200);
    expect(replay.body.bet.id).toBe(res.body.bet.id);
  });

  it("refuses bets with the API's codes and reserves nothing", async () => {
    const { client } = await fundedBettor(10_000);
    const config = getConfig({ ...process.env });
    const cases: [unknown, number, string][] = [
      [betBody(home.id, config.BET_MIN_STAKE - 1, home.odds), 422, "STAKE_TOO_LOW"],
      [betBody(home.id, config.BET_MAX_STAKE + 1, home.odds), 422, "STAKE_TOO_HIGH"],
      [betBody(home.id, 20_000, home.odds), 422, "INSUFFICIENT_FUNDS"],
      [betBody(home.id, 1_000, "2.05"), 409, "ODDS_CHANGED"],
      [betBody(randomUUID(), 1_000, "2.00"), 404, "NOT_FOUND"],
      [{ ...betBody(home.id, 1_000, home.odds), stake: 10.5 }, 400, "VALIDATION_FAILED"],
      [{ ...betBody(home.id, 1_000, home.odds), odds: "2.105" }, 400, "VALIDATION_FAILED"],
      [{ selectionId: home.id }, 400, "VALIDATION_FAILED"],
    ];
    for (const [body, status, code] of cases) {
      const res = await client.post("/api/bets", body);
      expect({ status: res.status, code: res.body.error.code }).toEqual({ status, code });
    }
    const changed = await client.post("/api/bets", betBody(home.id, 1_000, "2.05"));
    expect(changed.body.error.currentOdds).toBe(home.odds);
    expect((await client.get("/api/wallet")).body).toMatchObject({ available: 10_000, pendingStakes: 0 });
    expect((await client.get("/api/bets")).body.bets).toHaveLength(0);
  });

  it("applies the odds-change preference: none refuses any move, higher takes a better price, any takes any", async () => {
    const own = await openMatch();
    const sel = own.markets[0]!.selections[1]!; // 3.40
    const { client } = await fundedBettor(10_000);
    const admin = await staffClient();
    const edit = await admin.request("PATCH", `/api/admin/selections/${sel.id}`, { json: { odds: "3.80", expectedVersion: sel.version } });
    expect(edit.status).toBe(200);
    await waitFor(
      "the new price live",
      async () => (await client.post("/api/bets", betBody(sel.id, 100, "3.40"))).body.error?.currentOdds === "3.80",
      10_000,
    );
    const higher = await client.post("/api/bets", betBody(sel.id, 100, "3.40", { acceptOddsChanges: "higher" }));
    expect(higher.status).toBe(201);
    expect(higher.body.bet.odds).toBe("3.80");
    const lower = await client.post("/api/bets", betBody(sel.id, 100, "3.90", { acceptOddsChanges: "higher" }));
    expect(lower.body.error).toMatchObject({ code: "ODDS_CHANGED", currentOdds: "3.80" });
    const any = await client.post("/api/bets", betBody(sel.id, 100, "3.90", { acceptOddsChanges: "any" }));
    expect(any.status).toBe(201);
    expect(any.body.bet.odds).toBe("3.80");
  });

  it("refuses bets on a suspended match and while the kill switch is on", async () => {
    const own = await openMatch();
    const sel = own.markets[0]!.selections[2]!;
    const { client } = await fundedBettor(10_000);
    const admin = await staffClient();
    // Until the relay has carried a change into the live state, a bet may still be accepted: count them.
    let accepted = 0;
    const bet = async () => {
      const res = await client.post("/api/bets", betBody(sel.id, 100, sel.odds));
      if (res.status === 201) accepted++;
      return res;
    };
    await admin.post(`/api/admin/matches/${own.id}/suspend`);
    await waitFor("MARKET_SUSPENDED", async () => (await bet()).body.error?.code === "MARKET_SUSPENDED", 10_000);
    await admin.post(`/api/admin/matches/${own.id}/resume`);
    await admin.post("/api/admin/betting", { suspended: true });
    try {
      await waitFor("BETTING_SUSPENDED", async () => (await bet()).body.error?.code === "BETTING_SUSPENDED", 10_000);
    } finally {
      await admin.post("/api/admin/betting", { suspended: false });
    }
    await waitFor("betting back", async () => (await bet()).status === 201, 10_000);
    // Refusals reserve nothing: only the accepted bets left the available balance.
    expect((await client.get("/api/wallet")).body.available).toBe(10_000 - 100 * accepted);
  });

  it("S4: bet placement is rate limited per bettor, counted in the acceptance step", async () => {
    const { client } = await newBettor();
    const limit = getConfig({ ...process.env }).BET_RATE_LIMIT_PER_MINUTE;
    const statuses: number[] = [];
    for (let sent = 0; sent < limit + 5; sent += 50) {
      const batch = Array.from({ length: Math.min(50, limit + 5 - sent) }, () =>
        client.post("/api/bets", betBody(home.id, 100, home.odds)),
      );
      statuses.push(...(await Promise.all(batch)).map((r) => r.status));
    }
    expect(statuses.filter((s) => s === 422)).toHaveLength(limit); // no funds: refused, but counted
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    const limited = await client.post("/api/bets", betBody(home.id, 100, home.odds));
    expect(limited.body.error.code).toBe("RATE_LIMITED");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another bettor is not affected.
    expect((await (await newBettor()).client.post("/api/bets", betBody(home.id, 100, home.odds))).status).toBe(422);
  });

  it("S2: a bettor never reads another's bets; staff cannot place bets", async () => {
    const alice = await fundedBettor(1_000);
    const bob = await newBettor();
    const placed = await alice.client.post("/api/bets", betBody(home.id, 100, home.odds));
    expect((await bob.client.get(`/api/bets/${placed.body.bet.id}`)).status).toBe(404);
    expect((await bob.client.get("/api/bets")).body.bets).toHaveLength(0);
    expect((await (await staffClient()).post("/api/bets", betBody(home.id, 100, home.odds))).status).toBe(403);
  });
});

describe("GET /api/bets", () => {
  it("pages newest first with a cursor, merges ACCEPTED and RECORDED, and filters by status and by state", async () => {
    const { client } = await fundedBettor(10_000);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await client.post("/api/bets", betBody(home.id, 100, home.odds))).body.bet.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { bets: { id: string }[]; nextCursor: string | null } = (
        await client.get(`/api/bets?limit=3${cursor ? `&cursor=${cursor}` : ""}`)
      ).body;
      seen.push(...page.bets.map((b) => b.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    await waitUntilRecorded(db, ids);
    await waitFor("no ACCEPTED left", async () => (await client.get("/api/bets?status=ACCEPTED")).body.bets.length === 0, 10_000);
    expect((await client.get("/api/bets?status=RECORDED")).body.bets).toHaveLength(7);
    // A bettor's words: open (ACCEPTED or RECORDED) and settled (WON, LOST, VOID); a status narrows the state.
    expect((await client.get("/api/bets?state=open")).body.bets).toHaveLength(7);
    expect((await client.get("/api/bets?state=settled")).body.bets).toHaveLength(0);
    expect((await client.get("/api/bets?state=settled&status=RECORDED")).body.bets).toHaveLength(0);
    expect((await client.get("/api/bets?state=later")).status).toBe(400);
    // A window of acceptance times: [from, to).
    const hour = 3_600_000;
    const window = (from: number, to: number) => `/api/bets?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`;
    expect((await client.get(window(Date.now() - hour, Date.now() + hour))).body.bets).toHaveLength(7);
    expect((await client.get(window(Date.now() - 2 * hour, Date.now() - hour))).body.bets).toHaveLength(0);
    expect((await client.get("/api/bets?from=yesterday")).status).toBe(400);
    expect((await client.get("/api/bets?limit=500")).status).toBe(400);
    expect((await client.get("/api/bets?cursor=nonsense")).status).toBe(400);
  });
});

describe("wallet", () => {
  it("a deposit is credited to PostgreSQL, then once to the Redis wallet; a replay credits nothing", async () => {
    const { client } = await newBettor();
    const key = randomUUID();
    const first = await client.post("/api/wallet/deposits", { amount: 2_500, idempotencyKey: key });
    expect(first.status).toBe(201);
    expect(first.body.deposit.amount).toBe(2_500);
    const replay = await client.post("/api/wallet/deposits", { amount: 2_500, idempotencyKey: key });
    expect(replay.status).toBe(200);
    await waitFor("the credit in Redis", async () => (await client.get("/api/wallet")).body.available === 2_500, 10_000);
    expect((await client.get("/api/wallet")).body).toEqual({ available: 2_500, balance: 2_500, pendingStakes: 0, currency: "EUR" });
    expect((await client.post("/api/wallet/deposits", { amount: 0, idempotencyKey: randomUUID() })).status).toBe(400);
  });

  it("I6: drift is 0 for every user once the system is quiet", async () => {
    await waitFor(
      "a quiet system with no drift",
      async () => {
        const depth = await Promise.all(Array.from({ length: partitions }, (_, p) => redis.xlen(logKeys.stream(p))));
        return depth.every((d) => d === 0) && (await reconcileWallets({ db, redis, partitions })).users === 0;
      },
      30_000,
    );
  });
});
