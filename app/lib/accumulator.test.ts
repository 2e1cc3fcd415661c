import { describe, expect, it } from "vitest";
import { accumulatorReturn, parseOdds } from "@/server/odds.shared";
import {
  accumulatorBody,
  accumulatorLiveKey,
  accumulatorUnavailableBecause,
  canPlaceAccumulator,
  movedLegsOf,
  newAccumulatorSlip,
  viewAccumulator,
  type AccumulatorSlip,
} from "./accumulator";
import { newSlipLine, type LivePrice, type SlipLine } from "./slip-lines";

const limits = { minStake: 100, maxStake: 500_000, maxPayout: 10_000_000 };
const leg = (n: number, odds: string, matchId = `m${n}`): SlipLine =>
  newSlipLine({ id: `s${n}`, name: `Pick ${n}`, odds }, { id: matchId, home: `Home ${matchId}`, away: `Away ${matchId}` });
const open = (odds: string): LivePrice => ({ odds, lockedBecause: null });
const pricesOf = (lines: SlipLine[], change: Record<string, LivePrice> = {}) =>
  new Map(lines.map((l) => [l.selectionId, change[l.selectionId] ?? open(l.odds)]));
const slip = (change: Partial<AccumulatorSlip> = {}): AccumulatorSlip => ({ ...newAccumulatorSlip("10.01"), ...change });
const view = (lines: SlipLine[], s = slip(), prices = pricesOf(lines), available = 100_000) =>
  viewAccumulator(lines, s, prices, limits, available, "EUR");

describe("whether the slip's selections make an accumulator", () => {
  it("needs 2 to 12 selections, each from a different match, and says why not otherwise", () => {
    expect(accumulatorUnavailableBecause([])).toBe("Choose prices from at least two matches to build an accumulator.");
    expect(accumulatorUnavailableBecause([leg(1, "2.00")])).toMatch(/at least two selections, each from a different match/);
    expect(accumulatorUnavailableBecause([leg(1, "2.00"), leg(2, "2.00")])).toBeNull();
    const twelve = Array.from({ length: 12 }, (_, i) => leg(i, "1.10"));
    expect(accumulatorUnavailableBecause(twelve)).toBeNull();
    expect(accumulatorUnavailableBecause([...twelve, leg(12, "1.10")])).toBe("An accumulator has at most 12 selections: remove 1.");
  });

  it("names the two selections from the same match", () => {
    const lines = [leg(1, "2.00", "a"), leg(2, "1.50", "b"), leg(3, "3.40", "a")];
    expect(accumulatorUnavailableBecause(lines)).toBe(
      "Two selections from the same match cannot be combined: Pick 1 and Pick 3 are both on Home a v Away a. Remove one of them.",
    );
  });
});

describe("the accumulator's view", () => {
  it("shows the combined odds rounded down and the exact return, as the server computes them", () => {
    // README's example: 10.01 on three legs at 2.15: odds 9.93, return 99.48.
    const v = view([leg(1, "2.15"), leg(2, "2.15"), leg(3, "2.15")]);
    expect(v).toMatchObject({ odds: "9.93", stake: 1001, potentialReturn: 9948, unavailableBecause: null, stakeError: null });
    expect(canPlaceAccumulator(v)).toBe(true);
  });

  it("bounds the stake by the payout limit over the product of the odds, exactly, and by the balance", () => {
    const lines = [leg(1, "999.00"), leg(2, "999.00")];
    // floor(s x 998001) <= 10,000,000 (100,000.00): s = 10 cents.
    expect(view(lines, slip({ stakeText: "" }), undefined, 10_000_000).maxStake).toBe(10);
    expect(view([leg(1, "2.00"), leg(2, "2.00")], slip({ stakeText: "60" }), undefined, 5_000)).toMatchObject({
      maxStake: 5_000,
      stakeError: "That is more than your available balance (€50.00).",
    });
    expect(view([leg(1, "2.00"), leg(2, "2.00")], slip({ stakeText: "0.50" })).stakeError).toBe("The minimum stake is €1.00.");
  });

  it("refuses odds longer than the bet's integer column holds", () => {
    const lines = Array.from({ length: 4 }, (_, i) => leg(i, "1000.00"));
    expect(view(lines).unavailableBecause).toMatch(/odds longer than 21474836\.47/);
  });

  it("takes each leg's live price and says which moved; a retry of an unknown outcome sends what it sent", () => {
    const lines = [leg(1, "2.00"), leg(2, "3.00")];
    const prices = pricesOf(lines, { s2: open("3.20") });
    const v = view(lines, slip(), prices);
    expect(v.legs.map((l) => [l.odds, l.hasMoved])).toEqual([
      ["2.00", false],
      ["3.20", true],
    ]);
    expect(v.odds).toBe("6.40");
    const unknown = slip({ state: { kind: "unknown", error: { code: "NETWORK", message: "" } }, sentOdds: { s1: "2.00", s2: "3.00" } });
    expect(view(lines, unknown, prices).legs.map((l) => l.odds)).toEqual(["2.00", "3.00"]);
  });

  it("names the blocked leg and why", () => {
    const lines = [leg(1, "2.00"), leg(2, "3.00")];
    const v = view(lines, slip(), pricesOf(lines, { s2: { odds: "3.00", lockedBecause: "Suspended for the moment" } }));
    expect(v.blockedBecause).toBe("Pick 2 (Home m2 v Away m2): suspended for the moment");
    expect(canPlaceAccumulator(v)).toBe(false);
    expect(view([lines[0]!], slip(), new Map()).legs[0]!.blockedBecause).toBe("Betting has closed on this match");
  });

  it("shows an ODDS_CHANGED refusal on the legs that moved, with the bet at the new prices, until the live state changes", () => {
    const lines = [leg(1, "2.00"), leg(2, "3.00")];
    const error = { code: "ODDS_CHANGED", message: "", legs: [{ selectionId: "s2", currentOdds: "3.50" }] };
    const rejected = slip({ state: { kind: "rejected", error, liveKey: accumulatorLiveKey(lines, pricesOf(lines)) } });
    const v = view(lines, rejected);
    expect(v.state.kind).toBe("rejected");
    expect(v.legs.map((l) => l.refusedAt)).toEqual([null, "3.50"]);
    expect(v.atRefusedOdds).toEqual({ odds: "7.00", potentialReturn: accumulatorReturn(1001, [200, 350]) });
    // Accepting sends the moved leg at its new price, the others as shown.
    expect(accumulatorBody(v, "none", movedLegsOf(error))).toEqual({
      legs: [
        { selectionId: "s1", odds: "2.00" },
        { selectionId: "s2", odds: "3.50" },
      ],
      stake: 1001,
      acceptOddsChanges: "none",
    });
    // Once the stream brings the new price, the refusal no longer describes the slip.
    expect(view(lines, rejected, pricesOf(lines, { s2: open("3.50") })).state.kind).toBe("editing");
  });

  it("reads only well-formed moved legs from a refusal", () => {
    expect(
      movedLegsOf({ code: "ODDS_CHANGED", message: "", legs: [{ selectionId: "s1", currentOdds: "2.10" }, { selectionId: 5 }, null] }),
    ).toEqual(new Map([["s1", "2.10"]]));
    expect(movedLegsOf({ code: "STAKE_TOO_HIGH", message: "" }).size).toBe(0);
  });

  it("sends the legs at the odds Place shows", () => {
    const lines = [leg(1, "1.91"), leg(2, "2.05")];
    const body = accumulatorBody(view(lines, slip({ stakeText: "5" })), "higher");
    expect(body).toEqual({
      legs: [
        { selectionId: "s1", odds: "1.91" },
        { selectionId: "s2", odds: "2.05" },
      ],
      stake: 500,
      acceptOddsChanges: "higher",
    });
    expect(
      accumulatorReturn(
        body.stake,
        body.legs.map((l) => parseOdds(l.odds)),
      ),
    ).toBe(1957);
  });
});
