import { Redis } from "ioredis";
import { expect, it } from "vitest";
import { waitFor } from "@/scripts/lib/run";
import { getConfig } from "@/server/config";
import { logger } from "@/server/platform/logger";
import { connectSubscriber } from "@/server/platform/redis";
import { rootChannels } from "@/server/platform/redis-keys";
import { connectTestRedis, killSubscriptions } from "@/test/support/redis";
import type { CatalogCache } from "./catalog-cache";
import type { BettingMessage } from "./root-messages";
import { RootSubscriber } from "./root-subscriber";

const config = getConfig({ ...process.env });
const redis = connectTestRedis();

it("a subscription whose node is gone moves to the next connection, revalidates the cache, and receives again", async () => {
  let revalidations = 0;
  const cache = { revalidate: async () => ++revalidations, apply: () => {} } as unknown as CatalogCache;
  // Attempt 0: a node that is down at start. Attempt 1: a node that goes away for good (no reconnect) once killed.
  const subscriber = new RootSubscriber(
    (attempt) =>
      attempt === 0
        ? new Redis(1, "127.0.0.1", { retryStrategy: () => null, lazyConnect: false })
        : attempt === 1
          ? new Redis(config.REDIS_URL, { retryStrategy: () => null })
          : connectSubscriber(config, attempt),
    cache,
    logger.child({ test: "root-subscriber" }),
  );
  await subscriber.start();
  expect(revalidations).toBe(0);

  await killSubscriptions(redis);
  await waitFor("the cache revalidated on the next connection", async () => revalidations >= 1, 15_000);

  const received: BettingMessage[] = [];
  subscriber.on("betting", (message) => received.push(message));
  const message: BettingMessage = { type: "betting", suspended: false, version: 0, committedAt: Date.now() };
  await waitFor(
    "a message published after the move to arrive",
    async () => {
      await redis.publish(rootChannels.betting, JSON.stringify(message));
      return received.length > 0;
    },
    15_000,
  );
  expect(received[0]).toEqual(message);
  await subscriber.stop();
});
