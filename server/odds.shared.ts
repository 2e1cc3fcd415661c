import { z } from "zod";

/**
 * Decimal odds travel as strings ("2.10") and are stored as integer hundredths (210). Inputs may have one or two
 * decimals ("2.5" is 2.50); outputs always have two (formatOdds).
 */
export const oddsStringSchema = z
  .string()
  .regex(/^\d{1,4}\.\d{1,2}$/, 'Odds are a decimal with one or two places, like "2.10" or "2.5".')
  .transform(parseOdds)
  .refine((hundredths) => hundredths >= 101 && hundredths <= 100000, "Odds must be between 1.01 and 1000.00.");

export function parseOdds(odds: string): number {
  const [units = "0", cents = "0"] = odds.split(".");
  return Number(units) * 100 + Number(cents.padEnd(2, "0").slice(0, 2));
}

export function formatOdds(hundredths: number): string {
  return `${Math.trunc(hundredths / 100)}.${String(hundredths % 100).padStart(2, "0")}`;
}

/** floor(stake x odds) in integer minor units, with no floating point on the way. */
export function potentialReturn(stake: number, oddsHundredths: number): number {
  return accumulatorReturn(stake, [oddsHundredths]);
}

/** An accumulator's floor(stake x product of its legs' odds), exactly (the product of twelve odds needs BigInt). */
export function accumulatorReturn(stake: number, legOdds: number[]): number {
  const product = legOdds.reduce((p, odds) => p * BigInt(odds), BigInt(stake));
  return Number(product / 100n ** BigInt(legOdds.length));
}

/** The largest stake s with floor(s x product of the legs' odds / 100^n) <= maxPayout, exactly. */
export function maxStakeWithin(maxPayout: number, legOdds: number[]): number {
  const product = legOdds.reduce((p, odds) => p * BigInt(odds), 1n);
  return Number(((BigInt(maxPayout) + 1n) * 100n ** BigInt(legOdds.length) - 1n) / product);
}

/** The combined odds of an accumulator in hundredths, rounded down (what its `odds` shows). */
export function combinedOdds(legOdds: number[]): number {
  return accumulatorReturn(100, legOdds);
}
