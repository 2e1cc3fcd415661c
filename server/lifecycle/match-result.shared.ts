import { z } from "zod";
import { uuidOf } from "@/server/fields.shared";

const goals = z
  .number({ message: "Goals are a whole number." })
  .int("Goals are a whole number.")
  .min(0, "Goals cannot be negative.")
  .max(99, "At most 99 goals.");

/**
 * POST /api/admin/matches/:id/result: the final score (every market settled from it by its rule), a winning
 * selection (a match whose only market is the match result), or void (every stake returned).
 */
export const matchResultSchema = z.union(
  [
    z.object({ score: z.object({ home: goals, away: goals }).strict() }).strict(),
    z.object({ winnerSelectionId: uuidOf("a selection id") }).strict(),
    z.object({ void: z.literal(true, { message: "Send true to void the match." }) }).strict(),
  ],
  { message: "Send {score: {home, away}}, {winnerSelectionId} or {void: true}." },
);

export type MatchResultInput = z.infer<typeof matchResultSchema>;

/** What one run of the payout SQL did (settle_match); a run on a SETTLED match pays nothing. */
export type SettlementOutcome = {
  matchId: string;
  alreadySettled: boolean;
  betsSettled: number;
  won: number;
  lost: number;
  voided: number;
  stakes: number;
  payouts: number;
};
