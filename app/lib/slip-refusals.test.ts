import { describe, expect, it } from "vitest";
import { refusalText } from "./slip-refusals";

const names: Record<string, string> = { s1: "Draw (Arsenal v Chelsea)" };
const legName = (id: string) => names[id] ?? null;

describe("a refusal in the bettor's words", () => {
  it("gives the amounts in the bettor's currency", () => {
    expect(refusalText({ code: "STAKE_TOO_HIGH", message: "", maxStake: 12_345, maxPayout: 10_000_000 }, "EUR")).toBe(
      "the potential return may not exceed €100,000.00; the most you can stake at these odds is €123.45.",
    );
    expect(refusalText({ code: "STAKE_TOO_HIGH", message: "", maxStake: 500_000 }, "EUR")).toBe("the maximum stake is €5,000.00.");
    expect(refusalText({ code: "INSUFFICIENT_FUNDS", message: "", available: 250 }, "EUR")).toBe(
      "your available balance (€2.50) is too low for this stake.",
    );
    expect(refusalText({ code: "LIABILITY_LIMIT", message: "", maxStake: 700 }, "EUR")).toBe(
      "this bet would take the house's liability over its limit; the most you can stake now is €7.00.",
    );
    expect(refusalText({ code: "LIABILITY_LIMIT", message: "", maxStake: 0 }, "EUR")).toBe(
      "this bet would take the house's liability over its limit: no stake can be accepted on it now.",
    );
  });

  it("names an accumulator's leg when the refusal carries it", () => {
    expect(refusalText({ code: "MATCH_CLOSED", message: "Betting on this match is closed.", selectionId: "s1" }, "EUR", legName)).toBe(
      "betting has closed on Draw (Arsenal v Chelsea). Remove it to place the others.",
    );
    expect(refusalText({ code: "NOT_FOUND", message: "", selectionId: "s1" }, "EUR", legName)).toBe(
      "Draw (Arsenal v Chelsea) is no longer offered. Remove it to place the others.",
    );
    expect(
      refusalText({ code: "MARKET_SUSPENDED", message: "This market is suspended for the moment.", selectionId: "s1" }, "EUR", legName),
    ).toBe("Draw (Arsenal v Chelsea): this market is suspended for the moment.");
    // A single's refusal (no leg): the general sentence.
    expect(refusalText({ code: "NOT_FOUND", message: "" }, "EUR")).toBe("this selection no longer exists.");
  });
});
