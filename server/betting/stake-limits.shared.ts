import { maxStakeWithin } from "@/server/odds.shared";

// The stake limits a bettor meets, shown on the bet slip before a refusal teaches them (browser-safe).

/** Minor units: the per-bet stake limits and the cap on floor(stake x odds) (BET_MIN_STAKE, BET_MAX_STAKE, BET_MAX_PAYOUT). */
export type StakeLimits = { minStake: number; maxStake: number; maxPayout: number };

/**
 * The largest stake acceptance takes at these odds (hundredths) from a bettor with `available` to bet: the stake
 * limit, the largest stake whose potential return stays within the payout limit (as place-bet.ts computes it for
 * its refusal), and the available balance.
 */
export function maxStakeAt(limits: StakeLimits, oddsHundredths: number, available: number): number {
  const byPayout = maxStakeWithin(limits.maxPayout, [oddsHundredths]);
  return Math.max(0, Math.min(limits.maxStake, byPayout, available));
}
