import { z } from "zod";
import { oddsStringSchema } from "@/server/odds.shared";
import { idempotencyKeySchema, isoDateTimeSchema, uuidOf } from "@/server/fields.shared";

// Bet request shapes and the Bet of API.md, shared by the route handlers, the bet slip, My Bets and the tests.

export const ODDS_CHANGE_PREFERENCES = ["none", "higher", "any"] as const;
export type OddsChangePreference = (typeof ODDS_CHANGE_PREFERENCES)[number];

const stakeSchema = z
  .number()
  .int("Stake is in minor units (whole cents).")
  .positive("Stake must be positive.")
  .max(Number.MAX_SAFE_INTEGER);
const oddsPreferenceSchema = z.enum(ODDS_CHANGE_PREFERENCES).default("none");

export const singleBetSchema = z.object({
  selectionId: uuidOf("a selection id"),
  stake: stakeSchema,
  odds: oddsStringSchema,
  idempotencyKey: idempotencyKeySchema,
  acceptOddsChanges: oddsPreferenceSchema,
});

export const MAX_LEGS = 12;

/** An accumulator: 2 to 12 legs, each on a different match (checked once the selections' matches are known). */
export const accumulatorBetSchema = z.object({
  legs: z
    .array(z.object({ selectionId: uuidOf("a selection id"), odds: oddsStringSchema }))
    .min(2, "An accumulator has at least 2 legs.")
    .max(MAX_LEGS, `An accumulator has at most ${MAX_LEGS} legs.`)
    .refine((legs) => new Set(legs.map((l) => l.selectionId)).size === legs.length, "Each leg must be on a different match."),
  stake: stakeSchema,
  idempotencyKey: idempotencyKeySchema,
  acceptOddsChanges: oddsPreferenceSchema,
});

/** POST /api/bets: a single, or an accumulator (a body with `legs`). */
export const placeBetSchema = z.union([singleBetSchema, accumulatorBetSchema]);
export type PlaceBetInput = z.output<typeof placeBetSchema>;

/** The one of the two shapes a body claims to be, so a bad body gets that shape's field errors. */
export const placeBetSchemaFor = (body: unknown) =>
  typeof body === "object" && body !== null && "legs" in body ? accumulatorBetSchema : singleBetSchema;

export const betParamsSchema = z.object({ id: uuidOf("a bet id") });

export const BET_STATUSES = ["ACCEPTED", "RECORDED", "WON", "LOST", "VOID", "CASHED_OUT"] as const;
export type BetStatus = (typeof BET_STATUSES)[number];

/** What a bettor calls a bet's state: open until settled (ACCEPTED, RECORDED), then settled (WON, LOST, VOID, CASHED_OUT). */
export const BET_STATES = { open: ["ACCEPTED", "RECORDED"], settled: ["WON", "LOST", "VOID", "CASHED_OUT"] } as const satisfies Record<
  string,
  readonly BetStatus[]
>;

export const listBetsSchema = z.object({
  status: z.enum(BET_STATUSES).optional(),
  // Open or settled bets, each a set of statuses; `status`, when given too, narrows it.
  state: z.enum(["open", "settled"]).optional(),
  // Placed in [from, to): a date filter, in any time zone (ISO times).
  from: isoDateTimeSchema.optional(),
  to: isoDateTimeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export const LEG_RESULTS = ["OPEN", "WON", "LOST", "VOID"] as const;
export type LegResult = (typeof LEG_RESULTS)[number];
export type BetLegDto = { selectionId: string; matchId: string; odds: string; result: LegResult };

/** API.md's Bet. An accumulator has no selection or match of its own (null) and its combined odds. */
export type Bet = {
  id: string;
  reference: string;
  type: "SINGLE" | "ACCUMULATOR";
  selectionId: string | null;
  matchId: string | null;
  legs: BetLegDto[];
  stake: number;
  odds: string;
  potentialReturn: number;
  status: BetStatus;
  payout: number | null;
  acceptedAt: string;
  settledAt: string | null;
  /** The cash-out offer now (cash-out.shared.ts), or null: only while open and every undecided leg's market is. */
  cashOut: { amount: number } | null;
};

export const cashOutSchema = z.object({
  amount: z
    .number()
    .int("The amount is in minor units (whole cents).")
    .positive("The amount must be positive.")
    .max(Number.MAX_SAFE_INTEGER),
  idempotencyKey: idempotencyKeySchema,
});

// The bet slip shows the same potential return the server computes: one integer formula for both sides.
export { parseOdds, potentialReturn } from "@/server/odds.shared";
