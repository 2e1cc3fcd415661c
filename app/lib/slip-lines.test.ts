import { describe, expect, it } from "vitest";
import { keyForBody, newSlipLine, viewLine, type LivePrice, type SlipLine } from "./slip-lines";

const limits = { minStake: 100, maxStake: 500_000, maxPayout: 10_000_000 };
const line = (change: Partial<SlipLine> = {}): SlipLine => ({
  ...newSlipLine({ id: "s1", name: "Draw", odds: "3.30" }, { id: "m1", home: "Arsenal", away: "Chelsea" }),
  stakeText: "10",
  ...change,
});
const open = (odds = "3.30"): LivePrice => ({ odds, lockedBecause: null });
const view = (l: SlipLine, live: LivePrice | undefined, available = 10_000) => viewLine(l, live, limits, available, "EUR");

describe("a slip line's view", () => {
  it("takes a moved price at once and says it moved", () => {
    const v = view(line(), open("3.50"));
    expect(v).toMatchObject({ odds: "3.50", hasMoved: true, blockedBecause: null, stake: 1000 });
  });

  it("keeps the odds it sent for a retry of an unconfirmed request (same body, same key)", () => {
    const v = view(line({ state: { kind: "unknown", error: { code: "NETWORK", message: "" } } }), open("3.50"));
    expect(v).toMatchObject({ odds: "3.30", hasMoved: false });
  });

  it("drops a refusal once the live state it met has changed", () => {
    const rejected = line({
      state: { kind: "rejected", error: { code: "MARKET_SUSPENDED", message: "" }, liveKey: "3.30|Suspended for the moment" },
    });
    expect(view(rejected, { odds: "3.30", lockedBecause: "Suspended for the moment" }).state.kind).toBe("rejected");
    expect(view(rejected, open()).state.kind).toBe("editing");
  });

  it("is blocked while the price is locked or gone, with the reason", () => {
    expect(view(line(), { odds: "3.30", lockedBecause: "Betting is paused" }).blockedBecause).toBe("Betting is paused");
    expect(view(line(), undefined).blockedBecause).toBe("Betting has closed on this match");
  });

  it("names the limits in the bettor's currency before any refusal", () => {
    expect(view(line({ stakeText: "0.50" }), open()).stakeError).toBe("The minimum stake is €1.00.");
    expect(view(line({ stakeText: "150" }), open()).stakeError).toBe("That is more than your available balance (€100.00).");
    expect(view(line({ stakeText: "12.345" }), open()).stakeError).toBe("Enter a stake like 5 or 12.50.");
    // At long odds the payout limit is the bound: 100,000.00 / 999.00.
    expect(view(line({ stakeText: "50" }), open("999.00"), 10_000_000)).toMatchObject({ maxStake: 10_010, stakeError: null });
    expect(view(line({ stakeText: "200" }), open("999.00"), 10_000_000).stakeError).toBe(
      "The most you can stake at these odds is €100.10.",
    );
  });
});

describe("the idempotency key of a request", () => {
  it("is the same for the same body (a retry), new for another body", () => {
    const sent = { idempotencyKey: "k1", sentBody: '{"stake":100}' };
    expect(keyForBody({ idempotencyKey: "k1", sentBody: null }, '{"stake":100}')).toBe("k1");
    expect(keyForBody(sent, '{"stake":100}')).toBe("k1");
    const other = keyForBody(sent, '{"stake":200}');
    expect(other).not.toBe("k1");
    expect(other).toMatch(/^[0-9a-f-]{36}$/);
  });
});
