import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "@/server/openapi/document";
import { bodyVariants, fieldRows, typeText } from "./schema-text";

const document = buildOpenApiDocument();
const resolve = (name: string) => document.components.schemas[name]!;

describe("the API page's reading of schemas", () => {
  it("names types, references and limits", () => {
    expect(typeText({ type: "array", items: { $ref: "#/components/schemas/Match" } })).toBe("Match[]");
    expect(typeText({ anyOf: [{ type: "string", format: "date-time" }, { type: "null" }] })).toBe("string (date-time) | null");
    expect(typeText({ type: ["integer", "null"] })).toBe("integer | null");
    expect(typeText((resolve("Match").properties as any).result)).toBe("null | {winnerSelectionId} | {void} | {score}");
    expect(fieldRows(resolve("Wallet")).find((r) => r.name === "balance")?.notes).toEqual(["PostgreSQL's balance."]); // no safe-integer bounds
    const rows = bodyVariants({ $ref: "#/components/schemas/PlaceBet" }, resolve)[0]!; // a single; the other shape has legs
    expect(rows.find((r) => r.name === "stake")).toMatchObject({ type: "integer", isRequired: true, notes: ["more than 0"] });
    expect(rows.find((r) => r.name === "acceptOddsChanges")).toMatchObject({
      type: '"none" | "higher" | "any"',
      isRequired: false,
      notes: ['default "none"'],
    });
    expect(rows.find((r) => r.name === "idempotencyKey")?.notes).toEqual(["1 to 100 characters"]);
  });

  it("spells out nested objects, arrays of them and nullable ones with dotted names", () => {
    const odds = fieldRows(resolve("CreateMatch")).map((r) => r.name);
    expect(odds).toEqual(expect.arrayContaining(["odds", "odds.home", "odds.draw", "odds.away"]));
    const match = fieldRows(resolve("Match")).map((r) => r.name);
    expect(match).toEqual(expect.arrayContaining(["markets", "markets[].selections", "markets[].selections[].odds"]));
    expect(fieldRows(resolve("SettlementStatus")).map((r) => r.name)).toContain("settlement.payouts");
  });

  it("shows each shape of a union body", () => {
    const shapes = bodyVariants({ $ref: "#/components/schemas/MatchResult" }, resolve);
    expect(shapes.map((rows) => rows.map((r) => r.name))).toEqual([["score", "score.home", "score.away"], ["winnerSelectionId"], ["void"]]);
    const bets = bodyVariants({ $ref: "#/components/schemas/PlaceBet" }, resolve);
    expect(bets[1]!.map((r) => r.name)).toEqual(expect.arrayContaining(["legs", "legs[].selectionId", "legs[].odds", "stake"]));
  });
});
