import { bettingOutboxHandlers } from "@/server/betting/quarantine";
import { catalogOutboxHandlers } from "@/server/catalog/outbox-handlers";
import { syncLiveState } from "@/server/catalog/live-state";
import type { Deps } from "@/server/deps";
import { OutboxRelay } from "@/server/outbox/relay";
import type { Logger } from "@/server/platform/logger";
import { syncStakeFactors } from "@/server/risk/stake-factors";
import { walletOutboxHandlers } from "@/server/wallet/redis-wallet";

/** The outbox relay with every domain's handlers: the one place that knows which domains publish events. */
export function createOutboxRelay(deps: Pick<Deps, "db" | "redis" | "partitions" | "config">, log: Logger): OutboxRelay {
  const handlers = [...catalogOutboxHandlers(deps), ...walletOutboxHandlers(deps), ...bettingOutboxHandlers(deps)];
  return new OutboxRelay(deps, {
    log,
    handlers,
    // A new leader cannot know what happened to Redis while it was not leading: copy the catalog (and the stake
    // factors, which change without an outbox event) over again.
    onLeadership: async () =>
      log.info({ matches: await syncLiveState(deps), stakeFactors: await syncStakeFactors(deps) }, "live state synced from PostgreSQL"),
  });
}
