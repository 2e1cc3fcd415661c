import { LRUCache } from "lru-cache";
import type { RedisClient } from "@/server/platform/redis";
import { liveKeys } from "@/server/platform/redis-keys";

export type SelectionRoute = { matchId: string; marketId: string };

/**
 * Selection -> match/market, per process. A selection never moves to another match or market, so an entry never
 * goes stale, whichever Redis or database asked for it: one memo for the whole process, not one per caller.
 */
const selectionRoutes = new LRUCache<string, SelectionRoute>({ max: 100_000 });

/** The match and market of a selection, from the live state of partition `p` (every partition holds them). */
export async function selectionRoute(redis: RedisClient, p: number, selectionId: string): Promise<SelectionRoute | undefined> {
  const known = selectionRoutes.get(selectionId);
  if (known) return known;
  const [matchId, marketId] = await redis.hmget(liveKeys.selection(p, selectionId), "matchId", "marketId");
  if (!matchId || !marketId) return undefined;
  const route = { matchId, marketId };
  selectionRoutes.set(selectionId, route);
  return route;
}
