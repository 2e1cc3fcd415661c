import { eq, inArray } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { quarantinedEntries } from "@/drizzle/schema";
import { betBody, fundedBettor, openMatch, waitUntilRecorded } from "@/test/support/betting";
import { connectTestDatabase } from "@/test/support/database";

const db = connectTestDatabase();

// Text a hostile client may send: any code unit (NUL, lone surrogates, newlines), any Unicode, long strings.
const hostileText = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 100 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 120 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("k\u0000x", "\ud800", "a\nb", "\u007f", "\u0085", "'; drop table bets; --", "x".repeat(101), ""),
  },
  { weight: 2, arbitrary: fc.uuid().map(String) },
);

describe("acceptance and the flusher agree (I9)", () => {
  it("every bet acknowledged for arbitrary input is written to PostgreSQL, and nothing is quarantined", async () => {
    const bettor = await fundedBettor(1_000_000);
    const match = await openMatch();
    const [home, draw] = match.markets[0]!.selections;
    const acknowledged: string[] = [];
    let requests = 0;

    const request = fc.record(
      {
        selectionId: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(home!.id, draw!.id) }, { weight: 1, arbitrary: hostileText }),
        stake: fc.oneof(
          { weight: 6, arbitrary: fc.integer({ min: 100, max: 2_000 }) },
          { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constant(2 ** 63)) },
        ),
        odds: fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(home!.odds, draw!.odds, "2.1", "3.4", "1000.00", "1.00", "2.100", ".5") },
          { weight: 1, arbitrary: hostileText },
        ),
        idempotencyKey: hostileText,
        acceptOddsChanges: fc.constantFrom("any", "any", "any", "higher", "none", "bogus", undefined),
      },
      { requiredKeys: ["selectionId", "stake", "odds", "idempotencyKey"] },
    );

    await fc.assert(
      fc.asyncProperty(request, async (body) => {
        requests++;
        const res = await bettor.client.post("/api/bets", body);
        expect([200, 201, 400, 404, 409, 422], JSON.stringify(res.body)).toContain(res.status);
        if (res.status === 201) acknowledged.push(res.body.bet.id);
      }),
      { numRuns: 250 },
    );
    // A well-formed bet with a non-UUID key still goes through: the boundary refuses only what PostgreSQL would.
    const plain = await bettor.client.post("/api/bets", betBody(home!.id, 100, home!.odds, { idempotencyKey: "my key: ünïcode ✓" }));
    expect(plain.status).toBe(201);
    acknowledged.push(plain.body.bet.id);

    console.log(`acceptance property: ${requests + 1} requests, ${acknowledged.length} acknowledged`);
    expect(acknowledged.length).toBeGreaterThan(0);
    const rows = await waitUntilRecorded(db, acknowledged);
    expect(rows.every((r) => r.userId === bettor.id)).toBe(true);
    expect(await db.select().from(quarantinedEntries).where(eq(quarantinedEntries.userId, bettor.id))).toEqual([]);
    expect(await db.select().from(quarantinedEntries).where(inArray(quarantinedEntries.betId, acknowledged))).toEqual([]);
  });
});
