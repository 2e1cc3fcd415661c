import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bets, completionMarkers, matches, settlements } from "@/drizzle/schema";
import { waitFor } from "@/scripts/lib/run";
import { getConfig } from "@/server/config";
import { BetLoad, betBody, fundedBettor, openMatch, staffClient } from "@/test/support/betting";
import { connectTestDatabase } from "@/test/support/database";
import { expectMoneyConserved, waitUntilCreditsApplied, waitUntilSettled } from "@/test/support/lifecycle";
import { compareStreamIds } from "@/server/betting/write-behind-log";
import { connectTestRedis } from "@/test/support/redis";

const db = connectTestDatabase();
const redis = connectTestRedis();
const partitions = getConfig({ ...process.env }).WRITE_BEHIND_PARTITIONS;

describe("closing a match under load (I3, I4)", () => {
  it("every bet acknowledged before the close is in PostgreSQL when the match turns COMPLETE and gets settled; none is accepted after", async () => {
    const match = await openMatch();
    const people = await Promise.all(Array.from({ length: 20 }, () => fundedBettor(100_000)));
    const load = new BetLoad(people, match.markets[0]!.selections[0]!);
    // A count, not a sleep: on a busy machine the load just takes longer to get there.
    await waitFor("100 bets acknowledged", async () => load.acknowledged.size >= 100, 60_000);
    const admin = await staffClient();
    const closed = await admin.post(`/api/admin/matches/${match.id}/close`);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ id: match.id, status: "CLOSED", settlementState: "INCOMPLETE" });
    const acknowledgedAtClose = load.acknowledged.size;
    // From the close's reply on, nothing is accepted.
    const after = await people[0]!.client.post(
      "/api/bets",
      betBody(match.markets[0]!.selections[1]!.id, 100, match.markets[0]!.selections[1]!.odds),
    );
    expect(after.body.error.code).toBe("MATCH_CLOSED");
    // Every bettor is refused at least once more after the close, then the load stops. A request already past its
    // acceptance step when the close ran may still be answered after the close's reply: at most one per bettor.
    // That such a bet was accepted before the close is checked below against its partition's marker.
    const refusedAtClose = load.refused;
    await waitFor("every bettor refused after the close", async () => load.refused >= refusedAtClose + people.length, 60_000);
    await load.stop();
    expect(load.acknowledged.size - acknowledgedAtClose).toBeLessThanOrEqual(people.length);
    expect(acknowledgedAtClose).toBeGreaterThanOrEqual(100);

    await waitFor(
      "the match COMPLETE",
      async () => (await db.select().from(matches).where(eq(matches.id, match.id)))[0]!.settlementState === "COMPLETE",
      60_000,
    );
    const ids = [...load.acknowledged.keys()];
    const recorded = await db.select().from(bets).where(eq(bets.matchId, match.id));
    expect(recorded.map((b) => b.id).sort()).toEqual(ids.sort());
    // One marker per partition, each after every bet of its partition in the log.
    const markers = await db.select().from(completionMarkers).where(eq(completionMarkers.matchId, match.id));
    expect(markers).toHaveLength(partitions);
    const markerOf = new Map(markers.map((m) => [m.partition, m]));
    for (const bet of recorded) expect(compareStreamIds(bet.streamId, markerOf.get(bet.partition)!.streamId)).toBeLessThan(0);
    const lastMarkerAt = Math.max(...markers.map((m) => m.appliedAt.getTime()));
    expect(Math.max(...recorded.map((b) => b.recordedAt.getTime()))).toBeLessThanOrEqual(lastMarkerAt);

    const again = await admin.post(`/api/admin/matches/${match.id}/close`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("INVALID_STATE");
    expect(await db.select().from(bets).where(inArray(bets.id, ids))).toHaveLength(ids.length);

    // Every one of them is settled by the payout: all backed the winner, so all WON at floor(stake x odds).
    expect(
      (await admin.post(`/api/admin/matches/${match.id}/result`, { winnerSelectionId: match.markets[0]!.selections[0]!.id })).status,
    ).toBe(200);
    expect((await admin.post(`/api/admin/matches/${match.id}/settle`)).status).toBe(202);
    await waitUntilSettled(db, match.id);
    const settled = await db.select().from(bets).where(eq(bets.matchId, match.id));
    expect(settled.map((b) => [b.status, b.payout])).toEqual(settled.map((b) => ["WON", Math.floor((b.stake * b.odds) / 100)]));
    const [record] = await db.select().from(settlements).where(eq(settlements.matchId, match.id));
    expect(record).toMatchObject({ betsSettled: ids.length, won: ids.length });
    await waitUntilCreditsApplied(db);
    await expectMoneyConserved(db, redis, partitions);
    console.info(
      `close race: ${people.length} bettors, ${acknowledgedAtClose} bets acknowledged by the close's reply, ${ids.length - acknowledgedAtClose} answered after it (${load.refused} refused), ` +
        `${recorded.length} in PostgreSQL at COMPLETE, ${settled.length} settled WON, ${markers.length} markers`,
    );
  });
});
