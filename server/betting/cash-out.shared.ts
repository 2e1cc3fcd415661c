import type { LegResult } from "./bets.shared";

/**
 * The cash-out offer of API.md: floor(stake x (product of the bet's odds of its undecided and won legs) / (product
 * of the current odds of its undecided legs) x (1 - margin)), in integer minor units with BigInt, so the slip, My
 * bets and the server agree to the cent. Null when there is nothing to offer: a lost leg, no undecided leg, a
 * market or match that is not open (the caller passes no current price then), or an amount that rounds to 0.
 */
export function cashOutAmount(
  bet: { stake: number; legs: { selectionId: string; odds: number; result: LegResult }[] },
  currentOdds: ReadonlyMap<string, number>,
  marginPercent: number,
): number | null {
  if (bet.legs.some((leg) => leg.result === "LOST")) return null;
  const undecided = bet.legs.filter((leg) => leg.result === "OPEN");
  const won = bet.legs.filter((leg) => leg.result === "WON");
  if (undecided.length === 0 || undecided.some((leg) => !currentOdds.has(leg.selectionId))) return null;
  const product = (odds: number[]) => odds.reduce((p, o) => p * BigInt(o), 1n);
  const numerator = BigInt(bet.stake) * product([...undecided, ...won].map((l) => l.odds)) * BigInt(100 - marginPercent);
  const denominator = product(undecided.map((l) => currentOdds.get(l.selectionId)!)) * 100n ** BigInt(won.length + 1);
  const amount = Number(numerator / denominator);
  return amount > 0 ? amount : null;
}
