import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bets } from "@/drizzle/schema";
import { selectionOutcomes } from "@/server/catalog/market-kinds.shared";
import type { MatchDto } from "@/server/catalog/match-root";
import { selectionWins } from "@/server/catalog/markets.shared";
import { getConfig } from "@/server/config";
import { betBody, fundedBettor, openMatch, staffClient, waitUntilRecorded } from "@/test/support/betting";
import { connectTestDatabase } from "@/test/support/database";
import { closeUntilComplete, expectMoneyConserved, waitUntilCreditsApplied, waitUntilSettled } from "@/test/support/lifecycle";
import { connectTestRedis } from "@/test/support/redis";

const db = connectTestDatabase();
const redis = connectTestRedis();
const partitions = getConfig({ ...process.env }).WRITE_BEHIND_PARTITIONS;

const everyMarket = [
  { type: "TOTAL_GOALS", line: "0.5", odds: { over: "1.20", under: "4.50" } },
  { type: "TOTAL_GOALS", line: "2.5", odds: { over: "1.9", under: "1.95" } },
  { type: "BOTH_TEAMS_TO_SCORE", odds: { yes: "1.80", no: "1.95" } },
  { type: "DOUBLE_CHANCE", odds: { homeOrDraw: "1.30", homeOrAway: "1.35", drawOrAway: "1.75" } },
];

/** One bettor backs every selection of the match with an odd stake (floors matter); returns the bets by selection. */
async function backEverySelection(match: MatchDto) {
  const bettor = await fundedBettor(100_000);
  const placed = new Map<string, string>();
  for (const selection of match.markets.flatMap((m) => m.selections)) {
    const res = await bettor.client.post("/api/bets", betBody(selection.id, 1_001, selection.odds));
    expect(res.status).toBe(201);
    placed.set(selection.id, res.body.bet.id);
  }
  await waitUntilRecorded(db, [...placed.values()]);
  return { bettor, placed };
}

describe("markets settled from the score", () => {
  it("creates a match with every market type, shown in the catalog with its type and line", async () => {
    const match = await openMatch(undefined, everyMarket);
    expect(match.markets.map((m) => [m.type, m.name, m.line, m.selections.length])).toEqual([
      ["MATCH_RESULT", "Match result", null, 3],
      ["TOTAL_GOALS", "Total goals 0.5", "0.5", 2],
      ["TOTAL_GOALS", "Total goals 2.5", "2.5", 2],
      ["BOTH_TEAMS_TO_SCORE", "Both teams to score", null, 2],
      ["DOUBLE_CHANCE", "Double chance", null, 3],
    ]);
    expect(match.markets[2]!.selections.map((s) => [s.name, s.odds])).toEqual([
      ["Over 2.5", "1.90"],
      ["Under 2.5", "1.95"],
    ]);
    const staff = await staffClient();
    const bad = await staff.post("/api/admin/matches", {
      ...{ sport: "Football", competition: "Test League", home: "A", away: "B", startsAt: new Date(Date.now() + 86_400_000).toISOString() },
      odds: { home: "2.10", draw: "3.40", away: "3.60" },
      markets: [{ type: "TOTAL_GOALS", line: "2", odds: { over: "1.90", under: "1.90" } }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toBe("markets.0.line");
  });

  it.each([
    { home: 2, away: 1 },
    { home: 0, away: 0 },
    { home: 12, away: 9 },
  ])("pays each bet by its market's rule for %o, once, with money conserved", async (score) => {
    const match = await openMatch(undefined, everyMarket);
    const { placed } = await backEverySelection(match);
    await closeUntilComplete(db, match.id);
    const staff = await staffClient();
    const recorded = await staff.post(`/api/admin/matches/${match.id}/result`, { score });
    expect(recorded.status).toBe(200);
    expect(recorded.body.result).toEqual({ score });
    expect((await staff.post(`/api/admin/matches/${match.id}/settle`)).status).toBe(202);
    await waitUntilSettled(db, match.id);

    const rows = new Map((await db.select().from(bets).where(eq(bets.matchId, match.id))).map((b) => [b.id, b]));
    for (const market of match.markets) {
      for (const selection of market.selections) {
        const outcome = outcomeOf(match, market.type, selection.name);
        const bet = rows.get(placed.get(selection.id)!)!;
        const wins = selectionWins(outcome, market.line === null ? null : Number(market.line), score);
        expect({ selection: selection.name, status: bet.status, payout: bet.payout }).toEqual({
          selection: selection.name,
          status: wins ? "WON" : "LOST",
          payout: wins ? Math.floor((bet.stake * bet.odds) / 100) : 0,
        });
      }
    }
    await waitUntilCreditsApplied(db);
    await expectMoneyConserved(db, redis, partitions);
  });

  it("a voided market takes no more bets and returns its stakes; the other markets follow the score", async () => {
    const match = await openMatch(undefined, everyMarket);
    const { bettor, placed } = await backEverySelection(match);
    const btts = match.markets.find((m) => m.type === "BOTH_TEAMS_TO_SCORE")!;
    const staff = await staffClient();
    const voided = await staff.post(`/api/admin/markets/${btts.id}/void`);
    expect(voided.status).toBe(200);
    expect(voided.body.markets.find((m: MatchDto["markets"][number]) => m.id === btts.id)).toMatchObject({
      status: "CLOSED",
      voided: true,
    });
    // In effect from the reply on: the next bet on it is refused.
    const refused = await bettor.client.post("/api/bets", betBody(btts.selections[0]!.id, 500, btts.selections[0]!.odds));
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("MARKET_SUSPENDED");
    expect((await staff.post(`/api/admin/markets/${btts.id}/void`)).status).toBe(409);

    await closeUntilComplete(db, match.id);
    // A winner alone cannot settle a match with more markets than the match result.
    const winnerOnly = await staff.post(`/api/admin/matches/${match.id}/result`, {
      winnerSelectionId: match.markets[0]!.selections[0]!.id,
    });
    expect(winnerOnly.status).toBe(400);
    expect((await staff.post(`/api/admin/matches/${match.id}/result`, { score: { home: 3, away: 0 } })).status).toBe(200);
    expect((await staff.post(`/api/admin/matches/${match.id}/settle`)).status).toBe(202);
    await waitUntilSettled(db, match.id);

    const statusOf = async (selectionId: string) =>
      (
        await db
          .select({ status: bets.status, payout: bets.payout, stake: bets.stake })
          .from(bets)
          .where(eq(bets.id, placed.get(selectionId)!))
      )[0]!;
    for (const s of btts.selections) expect(await statusOf(s.id)).toEqual({ status: "VOID", payout: 1_001, stake: 1_001 });
    expect((await statusOf(match.markets[0]!.selections[0]!.id)).status).toBe("WON");
    expect((await statusOf(match.markets[0]!.selections[1]!.id)).status).toBe("LOST");
    expect((await staff.post(`/api/admin/markets/${btts.id}/void`)).status).toBe(409);
    await waitUntilCreditsApplied(db);
    await expectMoneyConserved(db, redis, partitions);
  });

  it("the payout SQL's rule (selection_wins) is the TypeScript rule, for every outcome over a grid of scores and lines", async () => {
    const grid = selectionOutcomes.flatMap((outcome) =>
      // Lines only where they mean something: the payout passes null for every other market.
      (["OVER", "UNDER"].includes(outcome) ? [0.5, 2.5, 7.5] : [null]).flatMap((line) =>
        [0, 1, 2, 3, 5, 10].flatMap((home) => [0, 1, 2, 4, 11].map((away) => ({ outcome, line, home, away }))),
      ),
    );
    const rows = await db.execute<{ wins: boolean }>(sql`
      select selection_wins(g.outcome::selection_outcome, g.line::numeric, g.home::int, g.away::int) as wins
      from jsonb_to_recordset(${JSON.stringify(grid)}::jsonb) as g(outcome text, line numeric, home int, away int)`);
    expect(rows.map((r) => r.wins)).toEqual(grid.map((g) => selectionWins(g.outcome, g.line, g)));
  });
});

/** A selection's outcome, from its market type and name as created (the API does not expose outcomes). */
function outcomeOf(match: MatchDto, type: MatchDto["markets"][number]["type"], name: string) {
  const byName: Record<string, (typeof selectionOutcomes)[number]> = {
    [match.home]: "HOME",
    Draw: "DRAW",
    [match.away]: "AWAY",
    Yes: "YES",
    No: "NO",
    [`${match.home} or draw`]: "HOME_OR_DRAW",
    [`${match.home} or ${match.away}`]: "HOME_OR_AWAY",
    [`Draw or ${match.away}`]: "DRAW_OR_AWAY",
  };
  if (type === "TOTAL_GOALS") return name.startsWith("Over") ? "OVER" : "UNDER";
  return byName[name]!;
}
