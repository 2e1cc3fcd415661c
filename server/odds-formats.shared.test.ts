import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatPrice, fromAmerican, fromFractional, toAmerican, toFractional } from "./odds-formats.shared";

const hundredths = fc.integer({ min: 101, max: 100_000 });

describe("odds formats", () => {
  it.each([
    ["2.00", "1/1", "+100"],
    ["2.10", "11/10", "+110"],
    ["1.50", "1/2", "-200"],
    ["3.40", "12/5", "+240"],
    ["1.01", "1/100", "-10000"],
    ["1.91", "10/11", "-110"],
    ["1000.00", "999/1", "+99900"],
  ])("%s reads %s and %s", (decimal, fractional, american) => {
    expect(formatPrice(decimal, "decimal")).toBe(decimal);
    expect(formatPrice(decimal, "fractional")).toBe(fractional);
    expect(formatPrice(decimal, "american")).toBe(american);
  });

  it("come back to the same decimal price within a hundredth, for every price", () => {
    fc.assert(
      fc.property(hundredths, (odds) => {
        expect(Math.abs(fromFractional(toFractional(odds)) - odds)).toBeLessThanOrEqual(1);
        expect(Math.abs(fromAmerican(toAmerican(odds)) - odds)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it("keep the order of prices (a longer price never reads as a shorter one)", () => {
    fc.assert(
      fc.property(hundredths, hundredths, (a, b) => {
        fc.pre(a < b);
        expect(fromFractional(toFractional(a))).toBeLessThanOrEqual(fromFractional(toFractional(b)));
        expect(fromAmerican(toAmerican(a))).toBeLessThanOrEqual(fromAmerican(toAmerican(b)));
      }),
    );
  });
});
