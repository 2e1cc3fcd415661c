import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accounts, sessions } from "@/drizzle/schema";
import { ApiClient, DEMO_PASSWORD, signedIn } from "@/test/support/api-client";
import { betBody, fundedBettor, openMatch, staffClient, waitUntilRecorded } from "@/test/support/betting";
import { connectTestDatabase } from "@/test/support/database";
import { closeUntilComplete, waitUntilSettled } from "@/test/support/lifecycle";
import { waitFor } from "@/scripts/lib/run";

const db = connectTestDatabase();

describe("self-exclusion (I15)", () => {
  it("revokes every session of the bettor at once, refuses their login with excludedUntil, and still pays their open bet", async () => {
    const match = await openMatch();
    const winner = match.markets[0]!.selections[0]!;
    const { client, email, id } = await fundedBettor(10_000);
    const bet = await client.post("/api/bets", betBody(winner.id, 1_000, winner.odds));
    expect(bet.status).toBe(201);
    // Signed in from three more browsers; each session is cached by use.
    const others = await Promise.all([signedIn(email), signedIn(email), signedIn(email)]);
    for (const other of others) expect((await other.get("/api/wallet")).status).toBe(200);

    const excluded = await client.post("/api/account/exclusion", { days: 7 });
    expect(excluded.status).toBe(200);
    const until = new Date(excluded.body.excludedUntil).getTime();
    expect(until).toBeGreaterThan(Date.now() + 7 * 86_400_000 - 60_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 7 * 86_400_000);

    for (const browser of [client, ...others]) {
      expect((await browser.get("/api/auth/me")).status).toBe(401);
      expect((await browser.post("/api/bets", betBody(winner.id, 100, winner.odds))).status).toBe(401);
      expect((await browser.post("/api/wallet/deposits", { amount: 100, idempotencyKey: randomUUID() })).status).toBe(401);
    }
    expect(await db.select().from(sessions).where(eq(sessions.userId, id))).toEqual([]);
    const login = await new ApiClient().post("/api/auth/login", { email, password: DEMO_PASSWORD });
    expect(login.status).toBe(403);
    expect(login.body.error).toMatchObject({ code: "ACCOUNT_EXCLUDED", excludedUntil: excluded.body.excludedUntil });
    // A wrong password is still just wrong: the exclusion is told only to the owner.
    expect((await new ApiClient().post("/api/auth/login", { email, password: "not-the-password" })).status).toBe(401);

    // Their open bet is settled and paid all the same.
    await waitUntilRecorded(db, [bet.body.bet.id]);
    await closeUntilComplete(db, match.id);
    const staff = await staffClient();
    expect((await staff.post(`/api/admin/matches/${match.id}/result`, { winnerSelectionId: winner.id })).status).toBe(200);
    expect((await staff.post(`/api/admin/matches/${match.id}/settle`)).status).toBe(202);
    await waitUntilSettled(db, match.id);
    const [units, cents] = winner.odds.split(".").map(Number);
    const payout = Math.floor((1_000 * (units! * 100 + cents!)) / 100);
    await waitFor(
      "the payout in PostgreSQL",
      async () => {
        const [account] = await db.select().from(accounts).where(eq(accounts.userId, id));
        return account!.balance === 10_000 - 1_000 + payout;
      },
      30_000,
    );
  });

  it("refuses a length that is not offered, and anonymous callers", async () => {
    const { client } = await fundedBettor(0);
    for (const days of [0, 2, 1.5, "7", -1]) expect((await client.post("/api/account/exclusion", { days })).status).toBe(400);
    expect((await client.get("/api/auth/me")).status).toBe(200);
    expect((await new ApiClient().post("/api/account/exclusion", { days: 1 })).status).toBe(401);
  });
});
