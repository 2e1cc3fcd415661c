import { z } from "zod";
import { oddsStringSchema } from "@/server/odds.shared";
import type { MarketType, SelectionOutcome } from "./market-kinds.shared";

/**
 * The markets a match can offer (API.md "Markets and results"), and how each selection is decided from the final
 * score. The payout SQL applies the same rules (selection_wins in drizzle/sql/settle_match.sql); a test holds the
 * two equal over a grid of scores.
 */
export type Score = { home: number; away: number };

/** Whether a selection wins with this final score; `line` (total goals) is a half line, so there is never a push. */
export function selectionWins(outcome: SelectionOutcome, line: number | null, { home, away }: Score): boolean {
  switch (outcome) {
    case "HOME":
      return home > away;
    case "DRAW":
      return home === away;
    case "AWAY":
      return home < away;
    case "OVER":
      return home + away > line!;
    case "UNDER":
      return home + away < line!;
    case "YES":
      return home > 0 && away > 0;
    case "NO":
      return home === 0 || away === 0;
    case "HOME_OR_DRAW":
      return home >= away;
    case "HOME_OR_AWAY":
      return home !== away;
    case "DRAW_OR_AWAY":
      return home <= away;
  }
}

// Half lines from 0.5 to 20.5: "2.5" goals, never a whole number (no push, no refund rule needed).
export const totalGoalsLineSchema = z.string().regex(/^(1?\d|20)\.5$/, 'A total goals line is a half line from "0.5" to "20.5".');

/** The extra markets of POST /api/admin/matches (the match result comes from its `odds`). */
export const extraMarketSchema = z.discriminatedUnion(
  "type",
  [
    z.object({
      type: z.literal("TOTAL_GOALS"),
      line: totalGoalsLineSchema,
      odds: z.object({ over: oddsStringSchema, under: oddsStringSchema }),
    }),
    z.object({ type: z.literal("BOTH_TEAMS_TO_SCORE"), odds: z.object({ yes: oddsStringSchema, no: oddsStringSchema }) }),
    z.object({
      type: z.literal("DOUBLE_CHANCE"),
      odds: z.object({ homeOrDraw: oddsStringSchema, homeOrAway: oddsStringSchema, drawOrAway: oddsStringSchema }),
    }),
  ],
  { message: 'A market type is "TOTAL_GOALS", "BOTH_TEAMS_TO_SCORE" or "DOUBLE_CHANCE".' },
);
export type ExtraMarketInput = z.output<typeof extraMarketSchema>;

export const extraMarketsSchema = z
  .array(extraMarketSchema)
  .max(20, "At most 20 extra markets.")
  .refine((list) => new Set(list.map(marketKey)).size === list.length, "Each market (and each total goals line) only once.");

function marketKey(market: ExtraMarketInput): string {
  return market.type === "TOTAL_GOALS" ? `${market.type}:${market.line}` : market.type;
}

type Teams = { home: string; away: string };
export type MarketSpec = {
  type: MarketType;
  name: string;
  line: string | null;
  selections: { outcome: SelectionOutcome; name: string; odds: number }[];
};

/** The market rows to create for a match: the match result first, then the extras in the order given. */
export function marketSpecs(teams: Teams, odds: { home: number; draw: number; away: number }, extras: ExtraMarketInput[]): MarketSpec[] {
  const matchResult: MarketSpec = {
    type: "MATCH_RESULT",
    name: "Match result",
    line: null,
    selections: [
      { outcome: "HOME", name: teams.home, odds: odds.home },
      { outcome: "DRAW", name: "Draw", odds: odds.draw },
      { outcome: "AWAY", name: teams.away, odds: odds.away },
    ],
  };
  return [matchResult, ...extras.map((extra) => extraMarketSpec(teams, extra))];
}

function extraMarketSpec(teams: Teams, market: ExtraMarketInput): MarketSpec {
  switch (market.type) {
    case "TOTAL_GOALS":
      return {
        type: market.type,
        name: `Total goals ${market.line}`,
        line: market.line,
        selections: [
          { outcome: "OVER", name: `Over ${market.line}`, odds: market.odds.over },
          { outcome: "UNDER", name: `Under ${market.line}`, odds: market.odds.under },
        ],
      };
    case "BOTH_TEAMS_TO_SCORE":
      return {
        type: market.type,
        name: "Both teams to score",
        line: null,
        selections: [
          { outcome: "YES", name: "Yes", odds: market.odds.yes },
          { outcome: "NO", name: "No", odds: market.odds.no },
        ],
      };
    case "DOUBLE_CHANCE":
      return {
        type: market.type,
        name: "Double chance",
        line: null,
        selections: [
          { outcome: "HOME_OR_DRAW", name: `${teams.home} or draw`, odds: market.odds.homeOrDraw },
          { outcome: "HOME_OR_AWAY", name: `${teams.home} or ${teams.away}`, odds: market.odds.homeOrAway },
          { outcome: "DRAW_OR_AWAY", name: `Draw or ${teams.away}`, odds: market.odds.drawOrAway },
        ],
      };
  }
}
