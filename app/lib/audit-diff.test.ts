import { describe, expect, it } from "vitest";
import { auditChanges } from "./audit-diff";

describe("auditChanges", () => {
  it("lists only what changed, amounts in euros", () => {
    expect(auditChanges({ odds: "2.10", version: 3, name: "Draw" }, { odds: "2.25", version: 4, name: "Draw" })).toEqual([
      { field: "odds", before: "2.10", after: "2.25" },
      { field: "version", before: "3", after: "4" },
    ]);
    expect(auditChanges(null, { stake: 1250, reason: "derby" })).toEqual([
      { field: "stake", before: null, after: "€12.50" },
      { field: "reason", before: null, after: "derby" },
    ]);
  });

  it("names the ids it knows", () => {
    const names = new Map([["sel-1", "Draw (Arsenal v Chelsea)"]]);
    expect(auditChanges({ result: null }, { result: { winnerSelectionId: "sel-1" } }, names)).toEqual([
      { field: "result", before: null, after: '{"winnerSelectionId":"Draw (Arsenal v Chelsea)"}' },
    ]);
  });

  it("summarises nested lists rather than dumping them", () => {
    expect(auditChanges(null, { markets: [{}, {}] })).toEqual([{ field: "markets", before: null, after: "2 items" }]);
  });
});
