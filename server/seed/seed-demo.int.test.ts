import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accounts, competitions, matches, selections, sports, users } from "@/drizzle/schema";
import { ApiClient } from "@/test/support/api-client";
import { connectTestDatabase } from "@/test/support/database";
import { seedDemo } from "./seed-demo";

const db = connectTestDatabase();

async function counts() {
  const tables = { users, accounts, sports, competitions, matches, selections };
  const entries = await Promise.all(
    Object.entries(tables).map(async ([name, table]) => [name, (await db.select({ n: count() }).from(table))[0]?.n]),
  );
  return Object.fromEntries(entries);
}

describe("demo seed", () => {
  it("is idempotent: a second run changes nothing", async () => {
    const before = await counts();
    const [alice] = await db
      .select({ balance: accounts.balance })
      .from(accounts)
      .innerJoin(users, eq(users.id, accounts.userId))
      .where(eq(users.email, "alice@example.com"));
    expect(await seedDemo({ db })).toEqual({ matchesCreated: 0 });
    expect(await counts()).toEqual(before);
    const [aliceAfter] = await db
      .select({ balance: accounts.balance })
      .from(accounts)
      .innerJoin(users, eq(users.id, accounts.userId))
      .where(eq(users.email, "alice@example.com"));
    expect(aliceAfter?.balance).toBe(alice?.balance);
  });

  it("adds funded load-test bettors on request, once", async () => {
    await seedDemo({ db }, { bettors: 3 });
    await seedDemo({ db }, { bettors: 3 });
    const rows = await db
      .select({ email: users.email, balance: accounts.balance })
      .from(users)
      .innerJoin(accounts, eq(accounts.userId, users.id))
      .where(eq(users.email, "bettor-0003@example.com"));
    expect(rows).toEqual([{ email: "bettor-0003@example.com", balance: 100_000 }]);
  });

  it("serves a catalog of at least 20 upcoming matches in 2 sports and 4 competitions, with 1X2 odds", async () => {
    const { status, body } = await new ApiClient().get("/api/catalog");
    expect(status).toBe(200);
    expect(body.matches.length).toBeGreaterThanOrEqual(20);
    expect(new Set(body.matches.map((m: { sport: string }) => m.sport)).size).toBeGreaterThanOrEqual(2);
    expect(new Set(body.matches.map((m: { competition: string }) => m.competition)).size).toBeGreaterThanOrEqual(4);
    const [match] = body.matches;
    expect(match).toMatchObject({ settlementState: "INCOMPLETE", result: null, version: expect.any(Number) });
    expect(match.markets[0].selections.map((s: { name: string }) => s.name)).toEqual([match.home, "Draw", match.away]);
    for (const s of match.markets[0].selections) expect(s.odds).toMatch(/^\d+\.\d{2}$/);
    expect((await new ApiClient().get(`/api/matches/${match.id}`)).body).toEqual(match);
  });
});
