import type { Redis } from "ioredis";
import { bettingOutboxHandlers } from "@/server/betting/quarantine";
import { catalogOutboxHandlers } from "@/server/catalog/outbox-handlers";
import { syncLiveState } from "@/server/catalog/live-state";
import { OutboxRelay } from "@/server/outbox/relay";
import type { Database } from "@/server/platform/db";
import type { Logger } from "@/server/platform/logger";
import { walletOutboxHandlers } from "@/server/wallet/redis-wallet";

/** The outbox relay with every domain's handlers: the one place that knows which domains publish events. */
export function createOutboxRelay(db: Database, redis: Redis, partitions: number, log: Logger): OutboxRelay {
  const handlers = [...catalogOutboxHandlers(db, redis, partitions), ...walletOutboxHandlers(redis, partitions), ...bettingOutboxHandlers(redis, partitions)];
  return new OutboxRelay(db, redis, log, handlers, async () => {
    // A new leader cannot know what happened to Redis while it was not leading: copy the catalog over again.
    log.info({ matches: await syncLiveState(db, redis, partitions) }, "live state synced from PostgreSQL");
  });
}
