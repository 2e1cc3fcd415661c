import { describe, expect, it } from "vitest";
import type { MatchDto } from "@/server/catalog/match-root";
import { applyChange, groupByCompetition, lockReason, marketStateOf, MOVE_VISIBLE_MS, noFilter, withoutOldMoves } from "./catalog-view";

const match = (id: string, competition: string, startsAt: string, odds = "2.00"): MatchDto => ({
  id,
  sport: "Football",
  competition,
  home: `Home ${id}`,
  away: `Away ${id}`,
  startsAt,
  status: "OPEN",
  settlementState: "INCOMPLETE",
  result: null,
  maxLiability: null,
  version: 1,
  markets: [
    {
      id: `m-${id}`,
      name: "Match result",
      type: "MATCH_RESULT",
      line: null,
      status: "OPEN",
      voided: false,
      selections: [{ id: `s-${id}`, name: "Home", odds, version: 1 }],
    },
  ],
});
const open = { suspended: false, version: 1 };

describe("the bettor's catalog", () => {
  it("says why a price cannot be taken, the kill switch first", () => {
    expect(lockReason({ status: "OPEN" }, { status: "OPEN", voided: false }, open)).toBeNull();
    expect(lockReason({ status: "OPEN" }, { status: "OPEN", voided: false }, { suspended: true, version: 2 })).toBe("Betting is paused");
    expect(lockReason({ status: "SUSPENDED" }, { status: "OPEN", voided: false }, open)).toBe("Suspended for the moment");
    expect(lockReason({ status: "OPEN" }, { status: "SUSPENDED", voided: false }, open)).toBe("Suspended for the moment");
    expect(lockReason({ status: "SCHEDULED" }, { status: "OPEN", voided: false }, open)).toBe("Betting has not opened yet");
    expect(lockReason({ status: "CLOSED" }, { status: "CLOSED", voided: true }, open)).toBe("This market is void");
  });

  it("names a market's state on a match page: void and closed before suspended", () => {
    const state = (status: MatchDto["status"], market: MatchDto["markets"][number]["status"], voided = false) =>
      marketStateOf({ status }, { status: market, voided }).state;
    expect(state("OPEN", "OPEN")).toBe("open");
    expect(state("OPEN", "SUSPENDED")).toBe("suspended");
    expect(state("SUSPENDED", "OPEN")).toBe("suspended");
    expect(state("SUSPENDED", "CLOSED", true)).toBe("void");
    expect(state("CLOSED", "CLOSED")).toBe("closed");
    expect(state("SCHEDULED", "OPEN")).toBe("not-open");
  });

  it("marks a moved price, then lets the arrow go after MOVE_VISIBLE_MS", () => {
    const before = { matches: new Map([["a", match("a", "Cup", "2026-01-01T10:00:00Z")]]), moves: new Map() };
    const moved = applyChange(before, { ...match("a", "Cup", "2026-01-01T10:00:00Z", "2.20"), version: 2 }, 1_000);
    expect(moved.moves.get("s-a")).toEqual({ move: "up", at: 1_000 });
    expect(withoutOldMoves(moved, 1_000 + MOVE_VISIBLE_MS - 1)).toBe(moved);
    expect(withoutOldMoves(moved, 1_000 + MOVE_VISIBLE_MS).moves.size).toBe(0);
    // An older version changes nothing.
    expect(applyChange(moved, match("a", "Cup", "2026-01-01T10:00:00Z", "9.00"), 2_000)).toEqual(moved);
  });

  it("drops a match that leaves the catalog, except the one a match page keeps", () => {
    const before = { matches: new Map([["a", match("a", "Cup", "2026-01-01T10:00:00Z")]]), moves: new Map() };
    const closed = { ...match("a", "Cup", "2026-01-01T10:00:00Z"), status: "CLOSED" as const, version: 2 };
    expect(applyChange(before, closed, 1_000).matches.has("a")).toBe(false);
    expect(applyChange(before, closed, 1_000, "a").matches.get("a")).toEqual(closed);
    expect(applyChange(before, closed, 1_000, "b").matches.has("a")).toBe(false);
  });

  it("groups by competition, the soonest first kick-off first, and filters by words, competition and time", () => {
    const matches = [
      match("t", "Test League", "2026-01-02T09:00:00Z"),
      match("p", "Premier League", "2026-01-01T12:00:00Z"),
      match("p2", "Premier League", "2026-01-03T12:00:00Z"),
    ];
    expect(groupByCompetition(matches, noFilter).map((g) => [g.competition, g.matches.map((m) => m.id)])).toEqual([
      ["Premier League", ["p", "p2"]],
      ["Test League", ["t"]],
    ]);
    expect(groupByCompetition(matches, { ...noFilter, query: "home P2" }).flatMap((g) => g.matches.map((m) => m.id))).toEqual(["p2"]);
    expect(groupByCompetition(matches, { ...noFilter, competition: "Football · Test League" }).map((g) => g.competition)).toEqual([
      "Test League",
    ]);
    const soon = groupByCompetition(matches, { ...noFilter, startsBefore: Date.parse("2026-01-02T12:00:00Z") });
    expect(soon.flatMap((g) => g.matches.map((m) => m.id))).toEqual(["p", "t"]);
  });
});
