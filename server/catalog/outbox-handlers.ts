import type { OutboxHandler } from "@/server/outbox/events";
import type { Deps } from "@/server/deps";
import { rootChannels } from "@/server/platform/redis-keys";
import { catalogEvents } from "./events";
import { applyBettingLiveState, applyMatchLiveState } from "./live-state";
import { loadMatch } from "./load-matches";
import type { MatchDto } from "./match-root";
import type { BettingMessage, MatchMessage } from "./root-messages";
import { isListedStatus } from "./listed-statuses.shared";

/**
 * How the relay puts the catalog's events in effect: the live state every partition checks bets against
 * (version-guarded), then one notification on the root type's channel for the web instances' caches.
 */
export function catalogOutboxHandlers(deps: Pick<Deps, "db" | "redis" | "partitions">): OutboxHandler[] {
  const applyMatch = async (match: MatchDto, { committedAt, publish }: Parameters<OutboxHandler["apply"]>[1]) => {
    await applyMatchLiveState(deps, { match });
    const message: MatchMessage = {
      type: "match",
      matchId: match.id,
      version: match.version,
      listed: isListedStatus(match.status),
      match,
      committedAt,
    };
    await publish(rootChannels.match, message);
  };
  return [
    {
      event: catalogEvents.matchChanged,
      apply: (payload, context) => applyMatch(catalogEvents.matchChanged.payload.parse(payload).match, context),
    },
    {
      event: catalogEvents.matchSettled,
      // The root as it is now, possibly newer than the settlement: versions keep caches monotonic either way.
      apply: async (payload, context) => {
        const { matchId } = catalogEvents.matchSettled.payload.parse(payload);
        const match = await loadMatch(deps.db, matchId);
        if (!match) throw new Error(`settled match ${matchId} not found`);
        await applyMatch(match, context);
      },
    },
    {
      event: catalogEvents.bettingSwitched,
      apply: async (payload, { committedAt, publish }) => {
        const state = catalogEvents.bettingSwitched.payload.parse(payload);
        await applyBettingLiveState(deps, state);
        const message: BettingMessage = { type: "betting", ...state, committedAt };
        await publish(rootChannels.betting, message);
      },
    },
  ];
}
