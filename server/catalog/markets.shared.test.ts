import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { selectionOutcomes, type SelectionOutcome } from "./market-kinds.shared";
import { extraMarketsSchema, marketSpecs, selectionWins } from "./markets.shared";

const score = fc.record({ home: fc.nat(99), away: fc.nat(99) });
const halfLine = fc.nat(20).map((n) => n + 0.5);
const winners = (line: number, s: { home: number; away: number }) => selectionOutcomes.filter((o) => selectionWins(o, line, s));

describe("market rules", () => {
  it.each<[string, { home: number; away: number }, number, SelectionOutcome[]]>([
    ["0-0", { home: 0, away: 0 }, 0.5, ["DRAW", "UNDER", "NO", "HOME_OR_DRAW", "DRAW_OR_AWAY"]],
    ["1-0", { home: 1, away: 0 }, 0.5, ["HOME", "OVER", "NO", "HOME_OR_DRAW", "HOME_OR_AWAY"]],
    ["2-1 over 2.5", { home: 2, away: 1 }, 2.5, ["HOME", "OVER", "YES", "HOME_OR_DRAW", "HOME_OR_AWAY"]],
    ["1-1 under 2.5", { home: 1, away: 1 }, 2.5, ["DRAW", "UNDER", "YES", "HOME_OR_DRAW", "DRAW_OR_AWAY"]],
    ["0-3", { home: 0, away: 3 }, 2.5, ["AWAY", "OVER", "NO", "HOME_OR_AWAY", "DRAW_OR_AWAY"]],
    ["12-9 over 20.5", { home: 12, away: 9 }, 20.5, ["HOME", "OVER", "YES", "HOME_OR_DRAW", "HOME_OR_AWAY"]],
  ])("%s: the winning selections", (_name, s, line, expected) => {
    expect(winners(line, s)).toEqual(expected);
  });

  it("decide each market exactly: one of home/draw/away, over or under, yes or no, two of the three double chances", () => {
    fc.assert(
      fc.property(score, halfLine, (s, line) => {
        const won = new Set(winners(line, s));
        const count = (outcomes: SelectionOutcome[]) => outcomes.filter((o) => won.has(o)).length;
        expect(count(["HOME", "DRAW", "AWAY"])).toBe(1);
        expect(count(["OVER", "UNDER"])).toBe(1);
        expect(count(["YES", "NO"])).toBe(1);
        expect(count(["HOME_OR_DRAW", "HOME_OR_AWAY", "DRAW_OR_AWAY"])).toBe(2);
        // A double chance wins exactly when the one result it leaves out does not happen.
        expect(won.has("HOME_OR_DRAW")).toBe(!won.has("AWAY"));
        expect(won.has("HOME_OR_AWAY")).toBe(!won.has("DRAW"));
        expect(won.has("DRAW_OR_AWAY")).toBe(!won.has("HOME"));
      }),
    );
  });
});

describe("extra markets of a new match", () => {
  it("take half lines only, each market once, and become named selections after the match result", () => {
    const totals = (line: string) => ({ type: "TOTAL_GOALS", line, odds: { over: "1.9", under: "1.90" } });
    expect(extraMarketsSchema.safeParse([totals("2")]).success).toBe(false);
    expect(extraMarketsSchema.safeParse([totals("21.5")]).success).toBe(false);
    expect(extraMarketsSchema.safeParse([totals("2.5"), totals("2.5")]).success).toBe(false);
    const extras = extraMarketsSchema.parse([
      totals("0.5"),
      totals("2.5"),
      { type: "BOTH_TEAMS_TO_SCORE", odds: { yes: "1.8", no: "2.0" } },
    ]);
    const specs = marketSpecs({ home: "Ajax", away: "PSV" }, { home: 210, draw: 340, away: 360 }, extras);
    expect(specs.map((m) => [m.type, m.name, m.line])).toEqual([
      ["MATCH_RESULT", "Match result", null],
      ["TOTAL_GOALS", "Total goals 0.5", "0.5"],
      ["TOTAL_GOALS", "Total goals 2.5", "2.5"],
      ["BOTH_TEAMS_TO_SCORE", "Both teams to score", null],
    ]);
    expect(specs[2]!.selections).toEqual([
      { outcome: "OVER", name: "Over 2.5", odds: 190 },
      { outcome: "UNDER", name: "Under 2.5", odds: 190 },
    ]);
  });
});
