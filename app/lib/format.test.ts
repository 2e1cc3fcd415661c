import { describe, expect, it } from "vitest";
import { formatDateTime, formatKickoff, parseMoney } from "./format";

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

describe("times", () => {
  it("are shown in the reader's zone, the zone named; UTC by default", () => {
    expect(formatKickoff("2026-03-14T15:00:00Z")).toBe("Sat 14 Mar, 15:00 UTC");
    expect(formatKickoff("2026-03-14T15:00:00Z", "Europe/Stockholm")).toBe("Sat 14 Mar, 16:00 CET");
    expect(formatDateTime("2026-07-01T08:30:05Z", "Europe/Stockholm")).toBe("1 Jul, 10:30:05 CEST");
  });
});
