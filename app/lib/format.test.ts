import { describe, expect, it } from "vitest";
import { parseMoney } from "./format";

describe("parseMoney", () => {
  it("turns typed amounts into exact minor units", () => {
    expect(parseMoney("12.50")).toBe(1250);
    expect(parseMoney("12.5")).toBe(1250);
    expect(parseMoney("12,05")).toBe(1205);
    expect(parseMoney(" 7 ")).toBe(700);
    expect(parseMoney("0.29")).toBe(29); // 0.29 * 100 is 28.999999999999996 in floating point
    expect(parseMoney("1.10")).toBe(110);
  });

  it("refuses anything that is not a plain amount", () => {
    for (const bad of ["", "abc", "1.234", "-5", "1e3", "12.", ".5", "1 000"]) expect(parseMoney(bad)).toBeNull();
  });
});
