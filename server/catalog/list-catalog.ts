import { inArray } from "drizzle-orm";
import { matches } from "@/drizzle/schema";
import type { DbOrTx } from "@/server/platform/db";
import { loadMatches } from "./load-matches";
import { type MatchDto } from "./match-root";
import { LISTED_STATUSES } from "./listed-statuses.shared";

/** What bettors browse: upcoming, open and suspended matches (closed ones leave the catalog). */
export function listCatalog(db: DbOrTx): Promise<MatchDto[]> {
  return loadMatches(db, inArray(matches.status, [...LISTED_STATUSES]));
}
