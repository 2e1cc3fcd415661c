import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatOdds, oddsStringSchema, parseOdds, potentialReturn } from "./odds.shared";

describe("odds", () => {
  it("parses decimal strings into integer hundredths and back", () => {
    for (const odds of ["1.01", "2.10", "3.05", "10.00", "1000.00"]) expect(formatOdds(parseOdds(odds))).toBe(odds);
    expect(parseOdds("2.10")).toBe(210);
  });

  it("accepts one- or two-decimal strings within 1.01..1000.00", () => {
    expect(oddsStringSchema.parse("2.50")).toBe(250);
    expect(oddsStringSchema.parse("2.5")).toBe(250);
    expect(oddsStringSchema.parse("1.1")).toBe(110);
    expect(oddsStringSchema.parse("1000.0")).toBe(100000);
    for (const bad of [
      "2",
      "2.",
      ".5",
      "2.501",
      "1.00",
      "1.0",
      "0.99",
      "1000.01",
      "1000.1",
      "-2.00",
      "-2.5",
      "2,50",
      " 2.50",
      "2.5 ",
      "1e3",
    ]) {
      expect(oddsStringSchema.safeParse(bad).success, bad).toBe(false);
    }
  });

  it("always answers with two decimals, whatever the input had", () => {
    fc.assert(
      fc.property(fc.integer({ min: 101, max: 100000 }), (hundredths) => {
        const twoPlaces = formatOdds(hundredths);
        expect(twoPlaces).toMatch(/^\d{1,4}\.\d{2}$/);
        expect(oddsStringSchema.parse(twoPlaces)).toBe(hundredths);
        // With a trailing zero dropped ("2.50" -> "2.5"), the input still means the same odds.
        if (twoPlaces.endsWith("0")) expect(oddsStringSchema.parse(twoPlaces.slice(0, -1))).toBe(hundredths);
      }),
    );
  });

  it("rounds the potential return down, exactly, even for large stakes", () => {
    expect(potentialReturn(1001, 155)).toBe(1551); // 1551.55 -> 1551
    expect(potentialReturn(333, 301)).toBe(1002); // 1002.33 -> 1002
    expect(potentialReturn(9_007_199_254_740, 199)).toBe(17_924_326_516_932); // beyond float-exact products
  });
});
