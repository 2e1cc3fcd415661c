import { describe, expect, it } from "vitest";
import { potentialReturn } from "@/server/odds.shared";
import { maxStakeAt } from "./stake-limits.shared";

const limits = { minStake: 100, maxStake: 500_000, maxPayout: 10_000_000 };

describe("maxStakeAt", () => {
  it("is the stake limit at ordinary odds with money to spare", () => {
    expect(maxStakeAt(limits, 210, 10_000_000)).toBe(500_000);
  });
  it("is the largest stake whose return stays within the payout limit at long odds", () => {
    const max = maxStakeAt(limits, 99_999, 10_000_000);
    expect(potentialReturn(max, 99_999)).toBeLessThanOrEqual(limits.maxPayout);
    expect(potentialReturn(max + 1, 99_999)).toBeGreaterThan(limits.maxPayout);
  });
  it("never exceeds what the bettor has available, and is never negative", () => {
    expect(maxStakeAt(limits, 210, 1_234)).toBe(1_234);
    expect(maxStakeAt(limits, 210, -5)).toBe(0);
  });
});
