import { eq, sql } from "drizzle-orm";
import { matches } from "@/drizzle/schema";
import { recordAudit, type AuditInput } from "@/server/audit/record-audit";
import { enqueueOutbox } from "@/server/outbox/enqueue";
import type { DbOrTx } from "@/server/platform/db";
import { catalogEvents } from "./events";
import { loadMatch } from "./load-matches";
import { type MatchDto } from "./match-root";

/**
 * The tail of every change to a match root, in the change's transaction: bump the root's version (caches and
 * live state compare it), audit who changed what, and append the new root to the outbox.
 */
export async function recordMatchChange(
  tx: DbOrTx,
  matchId: string,
  audit: Omit<AuditInput, "after"> & { after?: unknown },
): Promise<MatchDto> {
  await tx
    .update(matches)
    .set({ version: sql`${matches.version} + 1`, updatedAt: sql`now()` })
    .where(eq(matches.id, matchId));
  const match = await loadMatch(tx, matchId);
  if (!match) throw new Error(`match ${matchId} vanished inside its own transaction`);
  await recordAudit(tx, { ...audit, after: audit.after ?? match });
  await enqueueOutbox(tx, catalogEvents.matchChanged, matchId, { match });
  return match;
}
