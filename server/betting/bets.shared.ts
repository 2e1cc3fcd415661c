import { z } from "zod";
import { oddsStringSchema } from "@/server/odds.shared";
import { idempotencyKeySchema, uuidOf } from "@/server/fields.shared";

// Bet request shapes and the Bet of API.md, shared by the route handlers, the bet slip, My Bets and the tests.

export const ODDS_CHANGE_PREFERENCES = ["none", "higher", "any"] as const;
export type OddsChangePreference = (typeof ODDS_CHANGE_PREFERENCES)[number];

export const placeBetSchema = z.object({
  selectionId: uuidOf("a selection id"),
  stake: z.number().int("Stake is in minor units (whole cents).").positive("Stake must be positive.").max(Number.MAX_SAFE_INTEGER),
  odds: oddsStringSchema,
  idempotencyKey: idempotencyKeySchema,
  acceptOddsChanges: z.enum(ODDS_CHANGE_PREFERENCES).default("none"),
});
export type PlaceBetInput = z.output<typeof placeBetSchema>;

export const betParamsSchema = z.object({ id: uuidOf("a bet id") });

export const BET_STATUSES = ["ACCEPTED", "RECORDED", "WON", "LOST", "VOID"] as const;
export type BetStatus = (typeof BET_STATUSES)[number];

/** What a bettor calls a bet's state: open until settled (ACCEPTED, RECORDED), then settled (WON, LOST, VOID). */
export const BET_STATES = { open: ["ACCEPTED", "RECORDED"], settled: ["WON", "LOST", "VOID"] } as const satisfies Record<
  string,
  readonly BetStatus[]
>;

export const listBetsSchema = z.object({
  status: z.enum(BET_STATUSES).optional(),
  // Open or settled bets, each a set of statuses; `status`, when given too, narrows it.
  state: z.enum(["open", "settled"]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export type Bet = {
  id: string;
  reference: string;
  selectionId: string;
  matchId: string;
  stake: number;
  odds: string;
  potentialReturn: number;
  status: BetStatus;
  payout: number | null;
  acceptedAt: string;
  settledAt: string | null;
};

// The bet slip shows the same potential return the server computes: one integer formula for both sides.
export { parseOdds, potentialReturn } from "@/server/odds.shared";
