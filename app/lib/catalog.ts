import { CatalogCache } from "@/server/catalog/catalog-cache";
import { createCatalogLoader } from "@/server/catalog/catalog-loader";
import { RootSubscriber } from "@/server/catalog/root-subscriber";
import { webDeps } from "@/server/deps";
import { logger } from "@/server/platform/logger";
import { metrics } from "@/server/platform/metrics";
import { connectSubscriber } from "@/server/platform/redis";
import { forgetSingleton, singleton } from "@/server/platform/singleton";

type Catalog = { cache: CatalogCache; subscriber: RootSubscriber; ready: Promise<void> };

// One cache and one subscription per web instance, created on first use.

function createCatalog(): Catalog {
  const { db, config } = webDeps();
  const m = metrics();
  const cache = new CatalogCache(
    createCatalogLoader(db, (n) => m.catalogDbQueries.inc(n)),
    {
      mode: config.CATALOG_INVALIDATION_MODE,
      ttlMs: config.CATALOG_CACHE_TTL_SECONDS * 1000,
      onRead: (result) => m.catalogCacheReads.inc({ result }),
      onNotification: (action) => m.catalogNotifications.inc({ action }),
    },
  );
  const subscriber = new RootSubscriber((attempt) => connectSubscriber(config, attempt), cache, logger);
  return { cache, subscriber, ready: subscriber.start() };
}

/**
 * The catalog as the web serves it. The cache is used only once the subscription is live: a root cached before
 * that could miss its change notification.
 */
export async function catalog(): Promise<Catalog> {
  const current = singleton("catalog", createCatalog);
  await current.ready.catch((error: unknown) => {
    forgetSingleton("catalog"); // retry the subscription on the next request
    throw error;
  });
  return current;
}

export type CatalogReader = Pick<CatalogCache, "getMatch" | "listCatalog" | "catalogBody">;

/** The same reads straight from PostgreSQL, for measuring what the cache saves (CATALOG_CACHE_ENABLED=false). */
function uncachedReader(): CatalogReader {
  const loader = createCatalogLoader(webDeps().db, (n) => metrics().catalogDbQueries.inc(n));
  return {
    getMatch: (id) => loader.loadMatch(id),
    listCatalog: () => loader.loadCatalog(),
    catalogBody: async () => JSON.stringify({ matches: await loader.loadCatalog() }),
  };
}

/** How pages and routes read the catalog: the instance's cache, unless it is switched off. */
export async function catalogReader(): Promise<CatalogReader> {
  return webDeps().config.CATALOG_CACHE_ENABLED ? (await catalog()).cache : uncachedReader();
}
