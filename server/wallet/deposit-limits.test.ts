import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { changeLimit, limitAt, type LimitState } from "./deposit-limits";
import { LIMIT_COOLING_OFF_MS } from "./safer-gambling.shared";

const NONE: LimitState = { amount: null, pendingAmount: null, pendingEffectiveAt: null };
// null (no limit) is the loosest limit of all.
const looseness = (amount: number | null) => amount ?? Number.POSITIVE_INFINITY;

// A bettor's requests over time: each after a pause (up to two days), for an amount or for no limit.
const requests = fc.array(
  fc.record({ pauseMs: fc.integer({ min: 0, max: 2 * LIMIT_COOLING_OFF_MS }), wanted: fc.option(fc.integer({ min: 1, max: 10_000 })) }),
  { maxLength: 30 },
);

describe("deposit limit changes (RTS 12)", () => {
  it("a decrease applies at once; the limit in force loosens only 24 hours after the request that asked for it", () => {
    fc.assert(
      fc.property(requests, fc.integer({ min: 0, max: 3 * LIMIT_COOLING_OFF_MS }), (steps, lookAheadMs) => {
        let state = NONE;
        let now = 0;
        const asked: { at: number; wanted: number | null }[] = [];
        for (const { pauseMs, wanted } of steps) {
          const before = limitAt(state, new Date(now + pauseMs)).amount;
          now += pauseMs;
          state = changeLimit(state, wanted, new Date(now));
          asked.push({ at: now, wanted });
          const after = limitAt(state, new Date(now)).amount;
          // At the moment of the request: never looser than before, and exactly what was asked when that is tighter.
          expect(looseness(after)).toBeLessThanOrEqual(looseness(before));
          if (looseness(wanted) <= looseness(before)) expect(after).toBe(wanted);
        }
        // Later, with no more requests: whatever is in force was asked for at least 24 hours earlier, or is unchanged.
        const later = now + lookAheadMs;
        const inForce = limitAt(state, new Date(later)).amount;
        const current = limitAt(state, new Date(now)).amount;
        if (looseness(inForce) > looseness(current))
          expect(asked.some((a) => a.wanted === inForce && a.at + LIMIT_COOLING_OFF_MS <= later)).toBe(true);
      }),
    );
  });

  it("a raise shows as pending with its time, and asking again keeps that time", () => {
    const t0 = new Date("2026-11-24T10:00:00Z");
    const raised = changeLimit({ ...NONE, amount: 1_000 }, 5_000, t0);
    expect(raised).toEqual({ amount: 1_000, pendingAmount: 5_000, pendingEffectiveAt: new Date("2026-11-25T10:00:00Z") });
    expect(changeLimit(raised, 5_000, new Date("2026-11-24T20:00:00Z"))).toEqual(raised);
    expect(changeLimit(raised, 800, new Date("2026-11-24T20:00:00Z"))).toEqual({ ...NONE, amount: 800 });
    expect(limitAt(raised, new Date("2026-11-25T10:00:00Z"))).toEqual({ ...NONE, amount: 5_000 });
  });
});
