// The market types and selection outcomes, as PostgreSQL's enums hold them. No imports: drizzle/schema reads it.
export const marketTypes = ["MATCH_RESULT", "TOTAL_GOALS", "BOTH_TEAMS_TO_SCORE", "DOUBLE_CHANCE"] as const;
export type MarketType = (typeof marketTypes)[number];

export const selectionOutcomes = [
  "HOME",
  "DRAW",
  "AWAY",
  "OVER",
  "UNDER",
  "YES",
  "NO",
  "HOME_OR_DRAW",
  "HOME_OR_AWAY",
  "DRAW_OR_AWAY",
] as const;
export type SelectionOutcome = (typeof selectionOutcomes)[number];
