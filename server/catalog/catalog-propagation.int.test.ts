import { describe, expect, it } from "vitest";
import { ApiClient, signedIn } from "@/test/support/api-client";
import { readMetric, startWebInstances } from "@/test/support/web-instances";
import { waitFor } from "@/scripts/lib/run";
import { invalidationModes } from "./catalog-cache";
import type { MatchDto } from "./match-root";
import { formatOdds, parseOdds } from "@/server/odds.shared";

// Each mode gets three web instances of its own, all fed by the test stack's relay through Redis pub/sub.
async function anyOpenMatch(client: ApiClient, offset: number): Promise<MatchDto> {
  const { body } = await client.get("/api/catalog");
  return body.matches.filter((m: MatchDto) => m.status === "OPEN")[offset];
}

async function oddsOn(url: string, matchId: string, selectionId: string): Promise<string | undefined> {
  const res = await fetch(`${url}/api/matches/${matchId}`);
  const match = (await res.json()) as MatchDto;
  return match.markets.flatMap((m) => m.selections).find((s) => s.id === selectionId)?.odds;
}

describe.each(invalidationModes.map((mode, i) => [mode, i] as const))("catalog propagation in %s mode", (mode, index) => {
  it("an edit becomes visible on all three instances, and cached reads make no PostgreSQL query", async () => {
    const { urls } = await startWebInstances(3, 3210 + index * 3, { CATALOG_INVALIDATION_MODE: mode, CATALOG_CACHE_TTL_SECONDS: "3600" });
    const staff = await signedIn("staff@example.com");
    const match = await anyOpenMatch(staff, index);
    const selection = match.markets[0]!.selections[0]!;

    // Warm every instance, then check that reads are served from memory.
    for (const url of urls) expect(await oddsOn(url, match.id, selection.id)).toBe(selection.odds);
    const queriesBefore = await readMetric(urls[0]!, "bookmaker_catalog_db_queries_total");
    for (let i = 0; i < 50; i++) {
      await fetch(`${urls[0]}/api/matches/${match.id}`);
      await fetch(`${urls[0]}/api/catalog`);
    }
    expect(await readMetric(urls[0]!, "bookmaker_catalog_db_queries_total")).toBe(queriesBefore + 2); // the first catalog listing only

    const newOdds = formatOdds(parseOdds(selection.odds) + 5);
    const edit = await staff.request("PATCH", `/api/admin/selections/${selection.id}`, {
      json: { odds: newOdds, expectedVersion: selection.version },
    });
    expect(edit.status).toBe(200);
    expect(edit.body.selection).toMatchObject({ odds: newOdds, version: selection.version + 1 });

    for (const url of urls)
      await waitFor(`${url} to serve ${newOdds}`, async () => (await oddsOn(url, match.id, selection.id)) === newOdds, 10_000);
    for (const url of urls) {
      const listed = ((await (await fetch(`${url}/api/catalog`)).json()) as { matches: MatchDto[] }).matches.find((m) => m.id === match.id);
      expect(listed?.markets[0]?.selections[0]?.odds).toBe(newOdds);
    }
  });
});

describe("single flight", () => {
  it("twenty concurrent misses for one match load it from PostgreSQL once", async () => {
    const { urls } = await startWebInstances(1, 3230);
    const match = await anyOpenMatch(new ApiClient(), 5);
    const before = await readMetric(urls[0]!, "bookmaker_catalog_db_queries_total");
    const responses = await Promise.all(Array.from({ length: 20 }, () => fetch(`${urls[0]}/api/matches/${match.id}`)));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(await readMetric(urls[0]!, "bookmaker_catalog_db_queries_total")).toBe(before + 2); // one load: match + prices
  });
});

describe("optimistic concurrency (I8)", () => {
  it("of two concurrent edits of one price exactly one wins; the other gets VERSION_CONFLICT with the current price", async () => {
    const staffA = await signedIn("staff@example.com");
    const staffB = await signedIn("staff@example.com");
    const match = await anyOpenMatch(staffA, 6);
    const selection = match.markets[0]!.selections[1]!;
    const [a, b] = await Promise.all(
      [staffA, staffB].map((client, i) =>
        client.request("PATCH", `/api/admin/selections/${selection.id}`, {
          json: { odds: formatOdds(parseOdds(selection.odds) + 10 + i), expectedVersion: selection.version },
        }),
      ),
    );
    const statuses = [a!.status, b!.status].sort();
    expect(statuses).toEqual([200, 409]);
    const winner = a!.status === 200 ? a! : b!;
    const loser = a!.status === 200 ? b! : a!;
    expect(loser.body.error.code).toBe("VERSION_CONFLICT");
    expect(loser.body.error.current).toEqual(winner.body.selection);

    const audit = await staffA.get("/api/admin/audit");
    const entries = audit.body.entries.filter((e: { entityId: string }) => e.entityId === selection.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor: "staff@example.com",
      action: "selection.odds",
      before: { odds: selection.odds },
      after: winner.body.selection,
    });
  });
});
