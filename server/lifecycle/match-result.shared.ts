import { z } from "zod";
import { uuidOf } from "@/server/fields.shared";

/** POST /api/admin/matches/:id/result: a winning selection of the match, or void (every stake returned). */
export const matchResultSchema = z.union(
  [
    z.object({ winnerSelectionId: uuidOf("a selection id") }).strict(),
    z.object({ void: z.literal(true, { message: "Send true to void the match." }) }).strict(),
  ],
  { message: "Send {winnerSelectionId} or {void: true}." },
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
