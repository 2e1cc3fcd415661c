import { z } from "zod";
import { moneySchema } from "@/server/fields.shared";

// Deposit limits and self-exclusion (UK Gambling Commission RTS 12 and 13), shared by the route handlers, the wallet
// and take-a-break pages and the tests.

export const LIMIT_PERIODS = ["daily", "weekly", "monthly"] as const;
export type LimitPeriod = (typeof LIMIT_PERIODS)[number];

/** The windows the limits count deposits over: the last 24 hours, 7 days, 30 days. */
export const LIMIT_WINDOW_MS: Record<LimitPeriod, number> = {
  daily: 24 * 3600_000,
  weekly: 7 * 24 * 3600_000,
  monthly: 30 * 24 * 3600_000,
};

/** A raise or a removal takes effect only after this cooling-off; a decrease at once. */
export const LIMIT_COOLING_OFF_MS = 24 * 3600_000;

const limitAmount = moneySchema(1_000_000_000, "A limit").nullable();

/** PUT /api/wallet/limits: each period a new amount, null to remove it, or absent to leave it as it is. */
export const setLimitsSchema = z
  .strictObject({ daily: limitAmount.optional(), weekly: limitAmount.optional(), monthly: limitAmount.optional() })
  .refine((body) => LIMIT_PERIODS.some((p) => body[p] !== undefined), "Give at least one of daily, weekly and monthly.");
export type SetLimitsInput = z.output<typeof setLimitsSchema>;

export type DepositLimit = { amount: number; used: number; pending: null | { amount: number | null; effectiveAt: string } };
export type DepositLimits = Record<LimitPeriod, DepositLimit | null>;

/** The lengths of a self-exclusion API.md offers: a day, a week, a month, six months, a year, five years. */
export const EXCLUSION_DAYS = [1, 7, 30, 180, 365, 1825] as const;

export const exclusionSchema = z.strictObject({
  days: z.literal(EXCLUSION_DAYS, { message: `Choose one of ${EXCLUSION_DAYS.join(", ")} days.` }),
});
