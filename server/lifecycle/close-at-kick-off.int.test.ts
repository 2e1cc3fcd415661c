import { and, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { auditLog, markets, matches } from "@/drizzle/schema";
import { waitFor } from "@/scripts/lib/run";
import { createMatchLifecycleQueue } from "@/server/jobs/match-lifecycle";
import { staffClient } from "@/test/support/betting";
import { connectTestDatabase } from "@/test/support/database";
import { settlementState } from "@/test/support/lifecycle";
import type { MatchDto } from "@/server/catalog/match-root";
import { connectTestRedis } from "@/test/support/redis";

const db = connectTestDatabase();
const queue = createMatchLifecycleQueue(connectTestRedis({ maxRetriesPerRequest: null }));
afterAll(() => queue.close());

const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

async function createMatch(startsAt: string): Promise<MatchDto> {
  const res = await (
    await staffClient()
  ).post("/api/admin/matches", {
    sport: "Football",
    competition: "Kick-off League",
    home: `Home ${Math.random().toString(36).slice(2, 8)}`,
    away: `Away ${Math.random().toString(36).slice(2, 8)}`,
    startsAt,
    odds: { home: "2.00", draw: "3.00", away: "4.00" },
  });
  expect(res.status).toBe(201);
  return res.body;
}

const statusOf = async (id: string) => (await db.select({ status: matches.status }).from(matches).where(eq(matches.id, id)))[0]!.status;
const closeJob = (match: { id: string }, startsAt: string) => queue.getJob(`close-${match.id}-${Date.parse(startsAt)}`);

describe("closing at kick-off", () => {
  it("a BullMQ delayed job closes betting at the start time, with markers, so the match completes", async () => {
    const match = await createMatch(inSeconds(3));
    await waitFor("the close at kick-off", async () => (await statusOf(match.id)) === "CLOSED", 30_000);
    const [audit] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, match.id), eq(auditLog.action, "match.close")));
    expect(audit).toMatchObject({ actorUserId: null, before: { status: "OPEN" }, after: { status: "CLOSED" } });
    // Its markets close with it.
    expect((await db.select({ status: markets.status }).from(markets).where(eq(markets.matchId, match.id))).map((m) => m.status)).toEqual([
      "CLOSED",
    ]);
    await waitFor("the match COMPLETE", async () => (await settlementState(db, match.id)) === "COMPLETE", 30_000);
  });

  it("moving the kick-off moves the close; the job of the old time does nothing", async () => {
    const admin = await staffClient();
    const first = inSeconds(3);
    const match = await createMatch(first);
    const later = inSeconds(3600);
    const moved = await admin.patch(`/api/admin/matches/${match.id}`, { startsAt: later, expectedVersion: match.version });
    expect(moved.status).toBe(200);
    expect(moved.body.startsAt).toBe(later);
    const [moveAudit] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, match.id), eq(auditLog.action, "match.reschedule")));
    expect(moveAudit).toMatchObject({ before: { startsAt: first }, after: { startsAt: later } });
    expect(moveAudit!.actorUserId).not.toBeNull();
    const stale = await admin.patch(`/api/admin/matches/${match.id}`, { startsAt: inSeconds(60), expectedVersion: match.version });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe("VERSION_CONFLICT");
    const invalid = await admin.patch(`/api/admin/matches/${match.id}`, { startsAt: "tomorrow", expectedVersion: moved.body.version });
    expect(invalid.status).toBe(400);

    // The old job runs at the old time and leaves the match open; the new one waits for the new time.
    await waitFor("the old kick-off job done", async () => (await (await closeJob(match, first))?.getState()) === "completed", 30_000);
    expect((await closeJob(match, first))!.returnvalue).toEqual({ closed: false, reason: "kick-off moved" });
    expect(await statusOf(match.id)).toBe("OPEN");
    expect(await (await closeJob(match, later))!.getState()).toBe("delayed");

    const soon = inSeconds(2);
    expect((await admin.patch(`/api/admin/matches/${match.id}`, { startsAt: soon, expectedVersion: moved.body.version })).status).toBe(200);
    await waitFor("the new kick-off job done", async () => (await (await closeJob(match, soon))?.getState()) === "completed", 30_000);
    expect((await closeJob(match, soon))!.returnvalue).toEqual({ closed: true });
    expect(await statusOf(match.id)).toBe("CLOSED");
    const [current] = await db.select({ version: matches.version }).from(matches).where(eq(matches.id, match.id));
    const closed = await admin.patch(`/api/admin/matches/${match.id}`, { startsAt: inSeconds(60), expectedVersion: current!.version });
    expect(closed.status).toBe(409);
    expect(closed.body.error.code).toBe("INVALID_STATE");
  });
});
