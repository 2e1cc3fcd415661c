import { describe, expect, it } from "vitest";
import { CatalogCache, type CatalogLoader, type InvalidationMode } from "./catalog-cache";
import type { MatchDto } from "./match-root";
import type { MatchMessage } from "./root-messages";

function matchAt(version: number, odds = "2.00", status: MatchDto["status"] = "OPEN"): MatchDto {
  return {
    id: "m1",
    sport: "Football",
    competition: "Cup",
    home: "A",
    away: "B",
    startsAt: "2030-01-01T00:00:00.000Z",
    status,
    settlementState: "INCOMPLETE",
    result: null,
    maxLiability: null,
    version,
    markets: [
      {
        id: "k1",
        name: "Match result",
        type: "MATCH_RESULT",
        line: null,
        status: "OPEN",
        voided: false,
        selections: [{ id: "s1", name: "A", odds, version }],
      },
    ],
  };
}

/** An in-memory stand-in for PostgreSQL: the "database" holds one match; loads can be held back to test races. */
function fakeDatabase(initial: MatchDto) {
  const state = { current: initial, loads: 0, gate: Promise.resolve() };
  const loader: CatalogLoader = {
    loadMatch: async () => {
      state.loads++;
      const snapshot = state.current;
      await state.gate;
      return snapshot;
    },
    loadCatalog: async () => {
      state.loads++;
      return [state.current];
    },
    loadVersions: async () => new Map([[state.current.id, state.current.version]]),
  };
  return { state, loader };
}

const message = (match: MatchDto): MatchMessage => ({
  type: "match",
  matchId: match.id,
  version: match.version,
  listed: match.status !== "CLOSED",
  match,
  committedAt: 0,
});
const cacheFor = (loader: CatalogLoader, mode: InvalidationMode = "push-if-newer") => new CatalogCache(loader, { mode, ttlMs: 60_000 });

describe("CatalogCache", () => {
  it("loads a miss once for many concurrent readers, then serves hits without loading", async () => {
    const { state, loader } = fakeDatabase(matchAt(1));
    const cache = cacheFor(loader);
    const results = await Promise.all(Array.from({ length: 20 }, () => cache.getMatch("m1")));
    expect(results.every((m) => m?.version === 1)).toBe(true);
    expect(state.loads).toBe(1);
    await cache.getMatch("m1");
    await cache.listCatalog();
    await cache.listCatalog();
    expect(state.loads).toBe(2); // the list once; its roots were already cached
  });

  it.each([
    ["invalidate", 2],
    ["invalidate-if-older", 2],
    ["push", 1],
    ["push-if-newer", 1],
  ] as const)("%s: the next read serves the new version (loads: %i)", async (mode, loads) => {
    const { state, loader } = fakeDatabase(matchAt(1));
    const cache = cacheFor(loader, mode);
    await cache.getMatch("m1");
    state.current = matchAt(2, "2.50");
    cache.apply(message(state.current));
    expect((await cache.getMatch("m1"))?.markets[0]?.selections[0]?.odds).toBe("2.50");
    expect(state.loads).toBe(loads);
  });

  it("conditional modes ignore a duplicate or older message; unconditional push does not", async () => {
    for (const [mode, expected] of [
      ["push-if-newer", 3],
      ["invalidate-if-older", 3],
      ["push", 2],
    ] as const) {
      const { state, loader } = fakeDatabase(matchAt(3));
      const cache = cacheFor(loader, mode);
      await cache.getMatch("m1");
      cache.apply(message(matchAt(2)));
      expect((await cache.getMatch("m1"))?.version, mode).toBe(expected);
      expect(state.loads, mode).toBe(1);
    }
  });

  it("a load that started before a change never overwrites it", async () => {
    const { state, loader } = fakeDatabase(matchAt(1));
    let release = () => {};
    state.gate = new Promise((r) => (release = r));
    const cache = cacheFor(loader, "invalidate");
    const slowRead = cache.getMatch("m1"); // reads version 1, held back
    state.current = matchAt(2);
    cache.apply(message(state.current));
    release();
    expect((await slowRead)?.version).toBe(1); // that reader started before the change
    state.gate = Promise.resolve();
    expect((await cache.getMatch("m1"))?.version).toBe(2); // but the cache did not keep it
  });

  it("revalidation after a reconnect drops roots whose version moved while messages were lost", async () => {
    const { state, loader } = fakeDatabase(matchAt(1));
    const cache = cacheFor(loader);
    await cache.getMatch("m1");
    expect(await cache.revalidate()).toBe(0);
    state.current = matchAt(5); // changed, but the notification never arrived
    expect(await cache.revalidate()).toBe(1);
    expect((await cache.getMatch("m1"))?.version).toBe(5);
  });

  it("a match that leaves the catalog leaves the list", async () => {
    const { state, loader } = fakeDatabase(matchAt(1));
    const cache = cacheFor(loader);
    expect(await cache.listCatalog()).toHaveLength(1);
    state.current = matchAt(2, "2.00", "CLOSED");
    cache.apply(message(state.current));
    expect(await cache.listCatalog()).toHaveLength(0);
  });
});

describe("CatalogCache.catalogBody", () => {
  it("serialises the catalog once per change", async () => {
    const { state, loader } = fakeDatabase(matchAt(1));
    const cache = cacheFor(loader);
    const first = await cache.catalogBody();
    expect(await cache.catalogBody()).toBe(first);
    state.current = matchAt(2, "3.00");
    cache.apply(message(state.current));
    const next = JSON.parse(await cache.catalogBody()) as { matches: MatchDto[] };
    expect(next.matches[0]?.markets[0]?.selections[0]?.odds).toBe("3.00");
  });
});
