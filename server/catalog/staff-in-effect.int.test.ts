import { and, inArray, isNull, sql } from "drizzle-orm";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { outbox } from "@/drizzle/schema";
import { waitFor } from "@/scripts/lib/run";
import { getConfig } from "@/server/config";
import type { SessionUser } from "@/server/auth/credentials.shared";
import { betBody, fundedBettor, openMatch, staffClient } from "@/test/support/betting";
import { connectTestDatabase } from "@/test/support/database";
import { settlementState } from "@/test/support/lifecycle";
import { workerHolding } from "@/test/support/processes";
import { changeMatchStatus } from "./change-match-status";
import { connectTestRedis } from "@/test/support/redis";

const db = connectTestDatabase();
const redis = connectTestRedis();
const partitions = getConfig({ ...process.env }).WRITE_BEHIND_PARTITIONS;
const RELAY_LEASE = "bm:outbox:relay:lease";

describe("a staff success means in effect (I11)", () => {
  it("after each action's success no contrary bet is accepted, with the worker and its relay paused (SIGSTOP)", async () => {
    const admin = await staffClient();
    const bettor = await fundedBettor(100_000);
    const match = await openMatch();
    const home = match.markets[0]!.selections[0]!;
    const bet = (odds: string) => bettor.client.post("/api/bets", betBody(home.id, 100, odds));

    const worker = await workerHolding(redis, RELAY_LEASE);
    expect(worker, "the worker holding the relay lease").not.toBeNull();
    const unpublished = async () =>
      (
        await db
          .select({ n: sql<number>`count(*)::int` })
          .from(outbox)
          .where(and(isNull(outbox.publishedAt), inArray(outbox.aggregateId, [match.id, "betting"])))
      )[0]!.n;
    process.kill(worker!, "SIGSTOP");
    try {
      const unpublishedBefore = await unpublished();
      const edit = await admin.patch(`/api/admin/selections/${home.id}`, { odds: "2.50", expectedVersion: home.version });
      expect(edit.status).toBe(200);
      expect(edit.body.selection.odds).toBe("2.50");
      const stale = await bet(home.odds);
      expect(stale.body.error).toMatchObject({ code: "ODDS_CHANGED", currentOdds: "2.50" });

      expect((await admin.post(`/api/admin/matches/${match.id}/suspend`)).status).toBe(200);
      expect((await bet("2.50")).body.error.code).toBe("MARKET_SUSPENDED");
      expect((await admin.post(`/api/admin/matches/${match.id}/resume`)).status).toBe(200);
      expect((await bet("2.50")).status).toBe(201);

      expect((await admin.post("/api/admin/betting", { suspended: true })).status).toBe(200);
      expect((await bet("2.50")).body.error.code).toBe("BETTING_SUSPENDED");
      expect((await admin.post("/api/admin/betting", { suspended: false })).status).toBe(200);
      expect((await bet("2.50")).status).toBe(201);

      expect((await admin.post(`/api/admin/matches/${match.id}/close`)).status).toBe(200);
      expect((await bet("2.50")).body.error.code).toBe("MATCH_CLOSED");

      // The relay really carried none of it: the six actions' outbox rows are all still unpublished.
      expect(await unpublished()).toBe(unpublishedBefore + 6);
    } finally {
      process.kill(worker!, "SIGCONT");
      await admin.post("/api/admin/betting", { suspended: false });
    }
    // The flushers resume too: the close's markers complete the match behind the two bets.
    await waitFor("the match COMPLETE", async () => (await settlementState(db, match.id)) === "COMPLETE", 60_000);
  });

  it("says so explicitly when Redis cannot be reached: committed, not yet in effect, then applied by the relay", async () => {
    const bettor = await fundedBettor(10_000);
    const match = await openMatch();
    const home = match.markets[0]!.selections[0]!;
    const unreachable = new Redis("redis://127.0.0.1:1", { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    unreachable.on("error", () => {});
    const [staff] = await db.execute<SessionUser>(sql`select id, email, role from users where email = 'staff@example.com'`);
    try {
      const outcome = await changeMatchStatus(
        { db, redis: unreachable, partitions },
        { actor: staff!, matchId: match.id, action: "suspend" },
      );
      expect(outcome).toMatchObject({ inEffect: false, match: { status: "SUSPENDED" } });
    } finally {
      unreachable.disconnect();
    }
    // The outbox relay is the repair path.
    await waitFor(
      "the suspension in effect",
      async () => (await bettor.client.post("/api/bets", betBody(home.id, 100, home.odds))).body?.error?.code === "MARKET_SUSPENDED",
      30_000,
    );
  });
});
