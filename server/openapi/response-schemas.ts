import { z } from "zod";
import { quarantineResolution, settlementState } from "@/drizzle/schema";
import { sessionUserSchema } from "@/server/auth/credentials.shared";
import { BET_STATUSES, LEG_RESULTS } from "@/server/betting/bets.shared";
import type { ErrorCode } from "@/server/errors";
import { matchSchema } from "@/server/catalog/match-root";
import { TRANSACTION_KINDS } from "@/server/wallet/list-transactions";

/**
 * Response shapes of the API for the OpenAPI document. Where a shape already has a zod schema it is imported (the
 * session user; the match root, which the outbox's snapshot schema describes). The others exist only as TypeScript
 * types next to the code that builds them (`Bet`, `Wallet`, `AuditEntryDto`, `QuarantinedEntryDto`,
 * `PartitionStatus`, `SettlementStatus`, `Health`): they are written here for now, to be replaced by imports once
 * their modules own zod schemas. The integration test checks real answers against them, so they cannot drift far.
 */

const isoTime = z.iso.datetime({ offset: true });
const odds = z
  .string()
  .regex(/^\d{1,4}\.\d{2}$/)
  .describe('Decimal odds with two places, like "2.10".');
const combinedOdds = z
  .string()
  .regex(/^\d{1,8}\.\d{2}$/)
  .describe("A single's odds, or an accumulator's combined odds (the product of its legs', rounded down).");
const minorUnits = z.number().int().describe("Money in integer minor units (cents).");

export const userSchema = sessionUserSchema;

export const selectionSchema = z.object({ id: z.uuid(), name: z.string(), odds, version: z.number().int() });

export const betSchema = z.object({
  id: z.uuid(),
  reference: z.string(),
  type: z.enum(["SINGLE", "ACCUMULATOR"]),
  selectionId: z.uuid().nullable().describe("A single's selection; null for an accumulator."),
  matchId: z.uuid().nullable().describe("A single's match; null for an accumulator."),
  legs: z
    .array(z.object({ selectionId: z.uuid(), matchId: z.uuid(), odds, result: z.enum(LEG_RESULTS) }))
    .describe("What the bet backs: a single has one leg; each leg is decided by its own match's payout."),
  stake: minorUnits,
  odds: combinedOdds,
  potentialReturn: minorUnits,
  status: z.enum(BET_STATUSES).describe("ACCEPTED: durable in the queue; RECORDED: written to PostgreSQL; then WON, LOST or VOID."),
  payout: minorUnits.nullable(),
  acceptedAt: isoTime,
  settledAt: isoTime.nullable(),
  cashOut: z
    .object({ amount: minorUnits })
    .nullable()
    .describe("The cash-out offer now, from the live odds: while the bet is open and every undecided leg's match and market are."),
});

export const walletSchema = z.object({
  available: minorUnits.describe("What bets are accepted against: the balance less stakes not yet in PostgreSQL."),
  balance: minorUnits.describe("PostgreSQL's balance."),
  pendingStakes: minorUnits.describe("Stakes accepted, not yet written to PostgreSQL."),
  currency: z.string(),
});

export const transactionSchema = z.object({
  id: z.string(),
  kind: z.enum(TRANSACTION_KINDS),
  amount: minorUnits.describe("Positive into the balance, negative out of it."),
  balanceAfter: minorUnits,
  reference: z.string().describe("What caused it: the deposit, withdrawal or bet id."),
  at: isoTime,
});

const depositLimitSchema = z
  .object({
    amount: minorUnits.describe("The limit in force."),
    used: minorUnits.describe("Deposits within the period's window (the last 24 hours, 7 days or 30 days)."),
    pending: z
      .object({ amount: minorUnits.nullable().describe("null: the limit is being removed."), effectiveAt: isoTime })
      .nullable()
      .describe("A raise or removal waiting for its 24 hours."),
  })
  .nullable();

export const depositLimitsSchema = z.object({ daily: depositLimitSchema, weekly: depositLimitSchema, monthly: depositLimitSchema });

export const auditEntrySchema = z.object({
  id: z.string(),
  at: isoTime,
  actor: z.string().nullable().describe("The staff member's email; null for the system (kick-off close, payout job)."),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});

export const partitionStatusSchema = z.object({
  id: z.number().int(),
  depth: z.number().int(),
  oldestAgeMs: z.number(),
  lastFlushedId: z.string(),
  flushedPerSec: z.number(),
  flushedTotal: z.number().int(),
  flusher: z.string().nullable(),
  quarantined: z.number().int(),
});

export const quarantinedEntrySchema = z.object({
  partition: z.number().int(),
  streamId: z.string(),
  entry: z.string().describe("The log entry's fields, as JSON text."),
  error: z.string(),
  errorCode: z.string().nullable(),
  betId: z.uuid().nullable(),
  userId: z.uuid().nullable(),
  matchId: z.uuid().nullable(),
  stake: minorUnits.nullable(),
  quarantinedAt: isoTime,
  resolution: z.enum(quarantineResolution.enumValues).nullable(),
  resolvedAt: isoTime.nullable(),
});

export const settlementStatusSchema = z.object({
  status: matchSchema.shape.status,
  settlementState: z.enum(settlementState.enumValues),
  closedAt: isoTime.nullable(),
  completedAt: isoTime.nullable(),
  // When the payout began: from then on the result is final; until SETTLED, part of the bets may be paid.
  payoutStartedAt: isoTime.nullable(),
  markers: z.array(
    z.object({ partition: z.number().int(), applied: z.boolean(), streamId: z.string().nullable(), appliedAt: isoTime.nullable() }),
  ),
  settlement: z
    .object({
      matchId: z.uuid(),
      winnerSelectionId: z.uuid().nullable(),
      isVoid: z.boolean(),
      betsSettled: z.number().int(),
      won: z.number().int(),
      lost: z.number().int(),
      voided: z.number().int(),
      stakes: minorUnits,
      payouts: minorUnits,
      settledBy: z.uuid().nullable(),
      settledAt: isoTime,
      idempotencyPrunedAt: isoTime.nullable(),
    })
    .nullable(),
  job: z
    .object({
      id: z.string(),
      state: z.string(),
      attemptsMade: z.number().int(),
      processedBy: z.string().nullable(),
      failedReason: z.string().nullable(),
      outcome: z.unknown(),
    })
    .nullable()
    .describe("The payout job: null before the first settle, or once pruned."),
});

export const matchLiabilitySchema = z.object({
  matchId: z.uuid(),
  maxLiability: minorUnits.describe("The cap on any one selection's liability (the match's, or MAX_LIABILITY_PER_MATCH)."),
  markets: z.array(
    z.object({
      marketId: z.uuid(),
      selections: z.array(
        z.object({
          selectionId: z.uuid(),
          bets: z.number().int().describe("Open bets backing it (singles and accumulators with an undecided leg on it)."),
          stakes: minorUnits,
          potentialPayout: minorUnits,
          liability: minorUnits.describe("What the house pays if it wins minus the stakes of singles on its market."),
        }),
      ),
    }),
  ),
});

export const adminUserSchema = userSchema.extend({
  stakeFactor: z.string().describe('"0.01" to "1.00": scales the bettor\'s maximum stake.'),
  excludedUntil: isoTime.nullable(),
});

export const bigBetSchema = z.object({
  betId: z.uuid(),
  userId: z.uuid(),
  stake: minorUnits,
  potentialReturn: minorUnits,
  legs: z.string().describe('"selectionId:matchId:odds in hundredths", one per leg, separated by ";".'),
  at: isoTime,
});

const up = z.enum(["up", "down"]);
export const healthSchema = z.object({ db: up, redis: up, workers: up });
export const healthDownSchema = healthSchema.extend({
  error: z.looseObject({ code: z.literal("UNAVAILABLE"), message: z.string(), down: z.array(healthSchema.keyof()) }),
});

const issuesSchema = z
  .array(z.object({ path: z.string(), message: z.string() }))
  .describe("Every field that is not valid, by its dotted path.");

/** API.md's error body for the given codes; details beyond code and message vary by code (`currentOdds`, `maxStake`...). */
export function errorBodySchema(codes: [ErrorCode, ...ErrorCode[]]) {
  const error = z.looseObject({ code: z.enum(codes), message: z.string() });
  return z.object({ error: codes.includes("VALIDATION_FAILED") ? error.extend({ issues: issuesSchema }) : error });
}
