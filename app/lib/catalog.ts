import { CatalogCache } from "@/server/catalog/catalog-cache";
import { createCatalogLoader } from "@/server/catalog/catalog-loader";
import { RootSubscriber } from "@/server/catalog/root-subscriber";
import type { MatchDto } from "@/server/catalog/load-matches";
import { getConfig } from "@/server/config";
import { getDb } from "@/server/platform/db";
import { logger } from "@/server/platform/logger";
import { metrics } from "@/server/platform/metrics";
import { createRedis } from "@/server/platform/redis";

type Catalog = { cache: CatalogCache; subscriber: RootSubscriber; ready: Promise<void> };

// One cache and one subscription per web instance, created on first use.
const globalForCatalog = globalThis as unknown as { bookmakerCatalog?: Catalog };

function createCatalog(): Catalog {
  const config = getConfig();
  const m = metrics();
  const cache = new CatalogCache(
    createCatalogLoader(getDb(), (n) => m.catalogDbQueries.inc(n)),
    {
      mode: config.CATALOG_INVALIDATION_MODE,
      ttlMs: config.CATALOG_CACHE_TTL_SECONDS * 1000,
      onRead: (result) => m.catalogCacheReads.inc({ result }),
      onNotification: (action) => m.catalogNotifications.inc({ action }),
    },
  );
  const subscriber = new RootSubscriber(createRedis(config.REDIS_URL), cache, logger);
  return { cache, subscriber, ready: subscriber.start() };
}

/**
 * The catalog as the web serves it. The cache is used only once the subscription is live: a root cached before
 * that could miss its change notification.
 */
export async function catalog(): Promise<Catalog> {
  globalForCatalog.bookmakerCatalog ??= createCatalog();
  const current = globalForCatalog.bookmakerCatalog;
  await current.ready.catch((error: unknown) => {
    globalForCatalog.bookmakerCatalog = undefined; // retry the subscription on the next request
    throw error;
  });
  return current;
}

const uncached = () => createCatalogLoader(getDb(), (n) => metrics().catalogDbQueries.inc(n));

export async function listCatalogMatches(): Promise<MatchDto[]> {
  if (!getConfig().CATALOG_CACHE_ENABLED) return uncached().loadCatalog();
  return (await catalog()).cache.listCatalog();
}

/** The body of GET /api/catalog. */
export async function catalogBody(): Promise<string> {
  if (!getConfig().CATALOG_CACHE_ENABLED) return JSON.stringify({ matches: await uncached().loadCatalog() });
  return (await catalog()).cache.catalogBody();
}

export async function findCatalogMatch(id: string): Promise<MatchDto | null> {
  if (!getConfig().CATALOG_CACHE_ENABLED) return uncached().loadMatch(id);
  return (await catalog()).cache.getMatch(id);
}
