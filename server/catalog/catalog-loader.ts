import { inArray } from "drizzle-orm";
import { matches } from "@/drizzle/schema";
import type { DbOrTx } from "@/server/platform/db";
import type { CatalogLoader } from "./catalog-cache";
import { listCatalog } from "./list-catalog";
import { loadMatch } from "./load-matches";

/** The cache's way to PostgreSQL; `onQuery` counts the statements it issues (loads are two, versions one). */
export function createCatalogLoader(db: DbOrTx, onQuery: (statements: number) => void = () => {}): CatalogLoader {
  return {
    async loadMatch(id) {
      onQuery(2);
      return loadMatch(db, id);
    },
    async loadCatalog() {
      onQuery(2);
      return listCatalog(db);
    },
    async loadVersions(ids) {
      onQuery(1);
      const rows = await db.select({ id: matches.id, version: matches.version }).from(matches).where(inArray(matches.id, ids));
      return new Map(rows.map((r) => [r.id, r.version]));
    },
  };
}
