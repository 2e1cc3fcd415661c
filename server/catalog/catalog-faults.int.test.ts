import { and, eq, gte, isNotNull, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { matches, outbox } from "@/drizzle/schema";
import { waitFor, sleep } from "@/scripts/lib/run";
import { getConfig } from "@/server/config";
import { ApiClient, requiredEnv, signedIn } from "@/test/support/api-client";
import { connectTestDatabase } from "@/test/support/database";
import { killWorkerHolding } from "@/test/support/processes";
import { readMetric, startWebInstances } from "@/test/support/web-instances";
import type { MatchDto } from "./match-root";
import { formatOdds, parseOdds } from "@/server/odds.shared";
import { liveKeys } from "@/server/platform/redis-keys";
import { connectTestRedis, killSubscriptions } from "@/test/support/redis";

const db = connectTestDatabase();
const redis = connectTestRedis();
const partitions = getConfig({ ...process.env }).WRITE_BEHIND_PARTITIONS;

async function openMatch(offset: number): Promise<MatchDto> {
  const { body } = await new ApiClient().get("/api/catalog");
  return body.matches.filter((m: MatchDto) => m.status === "OPEN")[offset];
}

/** Edits one price `count` times in a row, each time from the version the previous edit returned. */
async function editRepeatedly(
  staff: ApiClient,
  selection: MatchDto["markets"][number]["selections"][number],
  count: number,
  pauseMs: number,
) {
  let { version } = selection;
  let odds = parseOdds(selection.odds);
  for (let i = 0; i < count; i++) {
    odds += 1;
    const res = await staff.request("PATCH", `/api/admin/selections/${selection.id}`, {
      json: { odds: formatOdds(odds), expectedVersion: version },
    });
    expect(res.status).toBe(200);
    version = res.body.selection.version;
    await sleep(pauseMs);
  }
  return { odds: formatOdds(odds), version };
}

async function versionServedBy(url: string, matchId: string): Promise<number> {
  return ((await (await fetch(`${url}/api/matches/${matchId}`)).json()) as MatchDto).version;
}

describe("catalog under faults", () => {
  it("every cache converges after its pub/sub connection is killed during a stream of edits", async () => {
    // A TTL of an hour: convergence here can only come from revalidation on reconnect.
    const { urls } = await startWebInstances(3, 3240, { CATALOG_CACHE_TTL_SECONDS: "3600" });
    const staff = await signedIn("staff@example.com");
    const match = await openMatch(7);
    for (const url of urls) await versionServedBy(url, match.id);

    const edits = editRepeatedly(staff, match.markets[0]!.selections[2]!, 30, 50);
    let killed = 0;
    // Until three connections were killed: a round may find every instance between reconnects.
    for (let i = 0; killed < 3 && i < 50; i++) {
      await sleep(400);
      killed += await killSubscriptions(redis);
    }
    const final = await edits;
    expect(killed).toBeGreaterThanOrEqual(3);

    const dbVersion = await openMatchVersion(match.id);
    for (const url of urls) await waitFor(`${url} to converge`, async () => (await versionServedBy(url, match.id)) === dbVersion, 15_000);
    for (const url of urls) {
      const served = (await (await fetch(`${url}/api/matches/${match.id}`)).json()) as MatchDto;
      expect(served.markets[0]!.selections[2]).toMatchObject({ odds: final.odds, version: final.version });
    }
  });

  it("the relay killed -9 mid-publish: every change is still published, and live state ends at the last version", async () => {
    const staff = await signedIn("staff@example.com");
    const match = await openMatch(8);
    const startedAt = new Date();

    const edits = editRepeatedly(staff, match.markets[0]!.selections[0]!, 40, 20);
    let kills = 0;
    // Until one kill landed (the lease may be between holders), while the edits go on.
    for (let i = 0; kills < 1 && i < 50; i++) {
      await sleep(300);
      if (await killWorkerHolding(redis, "bm:outbox:relay:lease")) kills++;
    }
    const final = await edits;
    expect(kills).toBeGreaterThanOrEqual(1);

    // The supervisor restarts the worker; its relay takes the lease once the dead one's expires.
    await waitFor(
      "every outbox row of this test to be published",
      async () => {
        const unpublished = await db
          .select({ id: outbox.id })
          .from(outbox)
          .where(and(gte(outbox.createdAt, startedAt), isNull(outbox.publishedAt)));
        return unpublished.length === 0;
      },
      45_000,
    );
    const parked = await db
      .select()
      .from(outbox)
      .where(and(gte(outbox.createdAt, startedAt), isNotNull(outbox.parkedAt)));
    expect(parked).toHaveLength(0);

    const selectionId = match.markets[0]!.selections[0]!.id;
    for (let p = 0; p < partitions; p++) {
      expect(await redis.hgetall(liveKeys.selection(p, selectionId))).toMatchObject({
        odds: String(parseOdds(final.odds)),
        version: String(final.version),
      });
      expect(Number(await redis.hget(liveKeys.match(p, match.id), "version"))).toBe(await openMatchVersion(match.id));
    }
    await waitFor(
      "the main instance to serve the last price",
      async () => {
        const served = (await (await fetch(`${requiredEnv("APP_URL")}/api/matches/${match.id}`)).json()) as MatchDto;
        return served.markets[0]!.selections[0]!.odds === final.odds;
      },
      10_000,
    );
  });

  it("an outbox row that keeps failing is parked and shown, never dropped, and the relay moves on", async () => {
    // A row no relay can publish: a topic without a handler, as a release with a newer writer might leave behind.
    const [bad] = await db
      .insert(outbox)
      .values({ topic: "catalog.unknown", aggregateType: "catalog", aggregateId: "x", payload: {} })
      .returning();
    const staff = await signedIn("staff@example.com");
    const match = await openMatch(9);
    const after = await editRepeatedly(staff, match.markets[0]!.selections[1]!, 1, 0);

    await waitFor(
      "the bad row to be parked",
      async () => {
        const [row] = await db.select().from(outbox).where(eq(outbox.id, bad!.id));
        return row?.parkedAt != null;
      },
      60_000,
    );
    const [row] = await db.select().from(outbox).where(eq(outbox.id, bad!.id));
    expect(row).toMatchObject({ publishedAt: null, attempts: 8, lastError: expect.stringContaining("catalog.unknown") });

    await waitFor(
      "the edit queued behind it to be served",
      async () => {
        const served = (await (await fetch(`${requiredEnv("APP_URL")}/api/matches/${match.id}`)).json()) as MatchDto;
        return served.markets[0]!.selections[1]!.odds === after.odds;
      },
      10_000,
    );
    const overview = await staff.get("/admin");
    expect(String(overview.body)).toContain("catalog.unknown");
    expect(await readMetric(requiredEnv("APP_URL"), "bookmaker_outbox_parked")).toBeGreaterThanOrEqual(1);
  });
});

async function openMatchVersion(matchId: string): Promise<number> {
  const [row] = await db.select({ version: matches.version }).from(matches).where(eq(matches.id, matchId));
  return row!.version;
}
