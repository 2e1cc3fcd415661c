/**
 * How a bettor reads prices: decimal ("2.10", what the API always sends), fractional ("11/10") or American
 * ("+110", "-200"). Conversions work on integer hundredths, so the round trip lands within a hundredth.
 */
export const ODDS_FORMATS = ["decimal", "fractional", "american"] as const;
export type OddsFormat = (typeof ODDS_FORMATS)[number];

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

// The denominators bookmakers print (11 for 10/11 and 1/11, 8 for 13/8...), then 100, which is always exact.
const DENOMINATORS = [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 13, 15, 20, 25, 40, 50, 100];

/**
 * The profit per unit staked as a fraction with a traditional denominator, the first within half a hundredth:
 * 2.10 -> 11/10, 1.50 -> 1/2, 3.40 -> 12/5, 1.91 -> 10/11, 1.01 -> 1/100.
 */
export function toFractional(hundredths: number): string {
  const profit = hundredths - 100; // in hundredths
  for (const denominator of DENOMINATORS) {
    const numerator = Math.round((profit * denominator) / 100);
    if (Math.abs(numerator * 100 - profit * denominator) * 2 < denominator) {
      const divisor = gcd(numerator, denominator) || 1;
      return `${numerator / divisor}/${denominator / divisor}`;
    }
  }
  throw new Error(`no fraction for ${hundredths}`); // unreachable: a denominator of 100 is exact
}

/** American odds: the profit on 100 staked (+110) at evens or better, else the stake that wins 100 (-200). */
export function toAmerican(hundredths: number): string {
  const profit = hundredths - 100;
  return profit >= 100 ? `+${profit}` : `-${Math.round(10_000 / profit)}`;
}

/** Back to decimal hundredths, rounded: for tests and for reading a price a bettor typed in their format. */
export function fromFractional(text: string): number {
  const [numerator, denominator] = text.split("/").map(Number);
  return Math.round(100 + (numerator! * 100) / denominator!);
}

export function fromAmerican(text: string): number {
  const value = Number(text);
  return Math.round(value > 0 ? 100 + value : 100 + 10_000 / -value);
}

/** A decimal odds string ("2.10") as the bettor chose to read it. */
export function formatPrice(decimal: string, format: OddsFormat): string {
  if (format === "decimal") return decimal;
  const [units = "0", cents = "0"] = decimal.split(".");
  const hundredths = Number(units) * 100 + Number(cents.padEnd(2, "0").slice(0, 2));
  return format === "fractional" ? toFractional(hundredths) : toAmerican(hundredths);
}
