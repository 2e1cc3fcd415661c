import { describe, expect, it } from "vitest";
import { formatOdds, oddsStringSchema, parseOdds, potentialReturn } from "./odds";

describe("odds", () => {
  it("parses decimal strings into integer hundredths and back", () => {
    for (const odds of ["1.01", "2.10", "3.05", "10.00", "1000.00"]) expect(formatOdds(parseOdds(odds))).toBe(odds);
    expect(parseOdds("2.10")).toBe(210);
  });

  it("accepts only two-decimal strings within 1.01..1000.00", () => {
    expect(oddsStringSchema.parse("2.50")).toBe(250);
    for (const bad of ["2.5", "2", "1.00", "0.99", "1000.01", "-2.00", "2,50", " 2.50", "1e3"]) {
      expect(oddsStringSchema.safeParse(bad).success, bad).toBe(false);
    }
  });

  it("rounds the potential return down, exactly, even for large stakes", () => {
    expect(potentialReturn(1001, 155)).toBe(1551); // 1551.55 -> 1551
    expect(potentialReturn(333, 301)).toBe(1002); // 1002.33 -> 1002
    expect(potentialReturn(9_007_199_254_740, 199)).toBe(17_924_326_516_932); // beyond float-exact products
  });
});
