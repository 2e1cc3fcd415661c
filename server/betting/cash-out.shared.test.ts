import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cashOutAmount } from "./cash-out.shared";

const single = (odds: number) => ({ stake: 1_000, legs: [{ selectionId: "s", odds, result: "OPEN" as const }] });

describe("cash-out offer", () => {
  it("is the stake times the odds taken over the odds now, less the margin", () => {
    // 10.00 at 3.00; the price is now 1.50: floor(1000 x 300 / 150 x 0.95) = 1900.
    expect(cashOutAmount(single(300), new Map([["s", 150]]), 5)).toBe(1_900);
    // Unchanged price: the stake less the margin.
    expect(cashOutAmount(single(210), new Map([["s", 210]]), 5)).toBe(950);
  });

  it("counts won legs at their odds and void legs as 1.00, and offers nothing after a lost leg or with a market closed", () => {
    const legs = [
      { selectionId: "a", odds: 200, result: "WON" as const },
      { selectionId: "b", odds: 300, result: "VOID" as const },
      { selectionId: "c", odds: 250, result: "OPEN" as const },
    ];
    // floor(1000 x 2.00 x 2.50 / 2.00 x 0.95) = 2375
    expect(cashOutAmount({ stake: 1_000, legs }, new Map([["c", 200]]), 5)).toBe(2_375);
    expect(cashOutAmount({ stake: 1_000, legs }, new Map(), 5)).toBeNull();
    expect(
      cashOutAmount({ stake: 1_000, legs: [...legs, { selectionId: "d", odds: 150, result: "LOST" }] }, new Map([["c", 200]]), 5),
    ).toBeNull();
    expect(cashOutAmount({ stake: 1_000, legs: legs.map((l) => ({ ...l, result: "WON" as const })) }, new Map(), 5)).toBeNull();
  });

  it("never offers more than the potential return, and grows as the backed price shortens", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 101, max: 100_000 }),
        fc.integer({ min: 101, max: 100_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (taken, now, stake) => {
          const offer = cashOutAmount({ stake, legs: [{ selectionId: "s", odds: taken, result: "OPEN" }] }, new Map([["s", now]]), 5);
          if (offer !== null) expect(offer).toBeLessThanOrEqual(Math.floor((stake * taken) / 101));
          const shorter = cashOutAmount(
            { stake, legs: [{ selectionId: "s", odds: taken, result: "OPEN" }] },
            new Map([["s", Math.max(101, now - 1)]]),
            5,
          );
          expect(shorter ?? 0).toBeGreaterThanOrEqual(offer ?? 0);
        },
      ),
    );
  });
});
