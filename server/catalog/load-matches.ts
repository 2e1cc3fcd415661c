import { asc, eq, inArray, type SQL } from "drizzle-orm";
import { competitions, markets, matches, selections, sports } from "@/drizzle/schema";
import type { DbOrTx } from "@/server/platform/db";
import { formatOdds } from "@/server/odds.shared";
import type { MatchDto } from "./match-root";

/** API.md's `result` of a match row: the score, a winner, void, or null before one is recorded. */
export function matchResult(
  match: Pick<typeof matches.$inferSelect, "resultVoid" | "resultSelectionId" | "resultHomeScore" | "resultAwayScore">,
): MatchDto["result"] {
  if (match.resultVoid) return { void: true };
  if (match.resultHomeScore !== null) return { score: { home: match.resultHomeScore, away: match.resultAwayScore! } };
  return match.resultSelectionId ? { winnerSelectionId: match.resultSelectionId } : null;
}

/** Loads whole match roots (match, markets, selections) in two queries, ordered by kick-off. */
export async function loadMatches(db: DbOrTx, where: SQL | undefined): Promise<MatchDto[]> {
  const rows = await db
    .select({ match: matches, sport: sports.name, competition: competitions.name })
    .from(matches)
    .innerJoin(competitions, eq(competitions.id, matches.competitionId))
    .innerJoin(sports, eq(sports.id, competitions.sportId))
    .where(where)
    .orderBy(asc(matches.startsAt), asc(matches.id));
  if (rows.length === 0) return [];

  const prices = await db
    .select({ market: markets, selection: selections })
    .from(markets)
    .innerJoin(selections, eq(selections.marketId, markets.id))
    .where(
      inArray(
        markets.matchId,
        rows.map((r) => r.match.id),
      ),
    )
    .orderBy(asc(markets.position), asc(markets.id), asc(selections.position), asc(selections.id));

  const marketsByMatch = new Map<string, Map<string, MatchDto["markets"][number]>>();
  for (const { market, selection } of prices) {
    let byId = marketsByMatch.get(market.matchId);
    if (!byId) marketsByMatch.set(market.matchId, (byId = new Map()));
    let dto = byId.get(market.id);
    if (!dto) {
      const { id, name, type, line, status, voided } = market;
      byId.set(market.id, (dto = { id, name, type, line, status, voided, selections: [] }));
    }
    dto.selections.push({ id: selection.id, name: selection.name, odds: formatOdds(selection.odds), version: selection.version });
  }

  return rows.map(({ match, sport, competition }) => ({
    id: match.id,
    sport,
    competition,
    home: match.home,
    away: match.away,
    startsAt: match.startsAt.toISOString(),
    status: match.status,
    settlementState: match.settlementState,
    result: matchResult(match),
    version: match.version,
    maxLiability: match.maxLiability,
    markets: [...(marketsByMatch.get(match.id)?.values() ?? [])],
  }));
}

/** One match root, or null. */
export async function loadMatch(db: DbOrTx, id: string): Promise<MatchDto | null> {
  const [match] = await loadMatches(db, eq(matches.id, id));
  return match ?? null;
}
