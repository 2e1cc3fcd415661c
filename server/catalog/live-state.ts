import { ne } from "drizzle-orm";
import { matches } from "@/drizzle/schema";
import type { OutboxPayload } from "@/server/outbox/events";
import type { catalogEvents } from "./events";
import type { Deps } from "@/server/deps";
import { logger } from "@/server/platform/logger";
import { logFormatLua } from "@/server/betting/write-behind-log";
import { LuaScript } from "@/server/platform/lua-script";
import { allPartitions } from "@/server/platform/partitions";
import { getBettingState } from "./betting-switch";
import { loadMatches } from "./load-matches";
import { type MatchDto } from "./match-root";
import { parseOdds } from "@/server/odds.shared";
import { liveKeys, logKeys } from "@/server/platform/redis-keys";

/**
 * KEYS[1] holds the root's version, then one key per field list; ARGV[1] the new version, ARGV[2] a JSON list of
 * field/value lists, one per key. A match entering CLOSED also gets its completion marker appended to the
 * partition's log (the last key, ARGV[3] the match id) in the same atomic step: a bet checked before it is in the
 * log before the marker, a bet checked after it is refused MATCH_CLOSED.
 */
const applyIfNewer = new LuaScript<number>(`${logFormatLua}
local current = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if current >= tonumber(ARGV[1]) then return 0 end
local wasClosed = redis.call('HGET', KEYS[1], 'status') == 'CLOSED'
local fields = cjson.decode(ARGV[2])
for i, kv in ipairs(fields) do redis.call('HSET', KEYS[i], unpack(kv)) end
if ARGV[3] and not wasClosed and redis.call('HGET', KEYS[1], 'status') == 'CLOSED' then
  logMarker(KEYS[#KEYS], ARGV[3])
end
return 1
`);

type FieldLists = [string, (string | number)[]][];

type LiveStateDeps = Pick<Deps, "redis" | "partitions">;

async function applyToAllPartitions(
  { redis, partitions }: LiveStateDeps,
  version: number,
  build: (p: number) => FieldLists,
  closing?: { matchId: string },
) {
  const results = await Promise.all(
    allPartitions(partitions).map((p) => {
      const entries = build(p);
      const keys = entries.map(([key]) => key);
      const args: (string | number)[] = [version, JSON.stringify(entries.map(([, kv]) => kv.map(String)))];
      if (closing) {
        keys.push(logKeys.stream(p));
        args.push(closing.matchId);
      }
      return applyIfNewer.run(redis, keys, args);
    }),
  );
  return results.some((r) => r === 1);
}

/** Returns whether any partition was behind (false: the event had already been applied). */
export function applyMatchLiveState(deps: LiveStateDeps, { match }: OutboxPayload<typeof catalogEvents.matchChanged>) {
  return applyToAllPartitions(
    deps,
    match.version,
    (p) => [
      [liveKeys.match(p, match.id), ["status", match.status, "version", match.version, "maxLiability", match.maxLiability ?? ""]],
      ...match.markets.flatMap((market) => [
        [liveKeys.market(p, market.id), ["status", market.status, "matchId", match.id]] as [string, (string | number)[]],
        ...market.selections.map(
          (s) =>
            [
              liveKeys.selection(p, s.id),
              ["odds", parseOdds(s.odds), "version", s.version, "marketId", market.id, "matchId", match.id],
            ] as [string, (string | number)[]],
        ),
      ]),
    ],
    { matchId: match.id },
  );
}

export function applyBettingLiveState(deps: LiveStateDeps, state: OutboxPayload<typeof catalogEvents.bettingSwitched>) {
  return applyToAllPartitions(deps, state.version, (p) => [
    [liveKeys.betting(p), ["suspended", state.suspended ? 1 : 0, "version", state.version]],
  ]);
}

// How long a staff action waits for Redis before answering "saved, not yet in effect" instead of a success.
const IN_EFFECT_TIMEOUT_MS = 3_000;

/**
 * A staff action's success must be true at once (I11): right after its commit, the use case writes the change into
 * every partition itself, version-guarded exactly as the relay does, instead of waiting for a relay that may be
 * paused or backing off. Resolves false when Redis could not be reached in time: the change is committed and the
 * relay applies it later from the outbox (the repair path), but the caller must say it is not in effect yet.
 */
export async function putInEffect(apply: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), IN_EFFECT_TIMEOUT_MS)));
  try {
    return await Promise.race([apply().then(() => true as const), timeout]);
  } catch (error) {
    logger.warn({ err: error }, "a committed change could not be applied to the live state; the relay will apply it");
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export type InEffect<T> = T & { inEffect: boolean };

/** Puts a committed match root in effect in every partition (see putInEffect). */
export async function putMatchInEffect(deps: LiveStateDeps, match: MatchDto): Promise<boolean> {
  return putInEffect(() => applyMatchLiveState(deps, { match }));
}

/**
 * Copies every unsettled match and the kill switch from PostgreSQL into the live state: for rows written without
 * an outbox event (the seed) and for a Redis that lost its data. Version-guarded like the relay's writes, so it
 * never moves state backwards, whatever it races with.
 */
export async function syncLiveState(deps: Pick<Deps, "db" | "redis" | "partitions">): Promise<number> {
  const unsettled = await loadMatches(deps.db, ne(matches.settlementState, "SETTLED"));
  for (const match of unsettled) await applyMatchLiveState(deps, { match });
  await applyBettingLiveState(deps, await getBettingState(deps.db));
  return unsettled.length;
}
