import { eq, sql } from "drizzle-orm";
import { markets, matches } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/credentials.shared";
import { AppError } from "@/server/errors";
import type { Deps } from "@/server/deps";
import { putMatchInEffect, type InEffect } from "@/server/catalog/live-state";
import type { MatchDto } from "@/server/catalog/match-root";
import { recordMatchChange } from "@/server/catalog/record-match-change";

/**
 * Closes betting on a match: PostgreSQL first (status, audit, outbox), then every partition at once, each in one
 * atomic step that marks the match closed and appends its completion marker to the log (see live-state). The
 * relay repeats that step from the outbox if this process dies in between or Redis cannot be reached (inEffect
 * false); a partition already closed is left alone, so each gets exactly one marker. From a reply with inEffect,
 * no bet is accepted for the match.
 * The match row is locked FOR NO KEY UPDATE, as by every writer of matches: FOR UPDATE would also wait for the
 * key-share locks that flush batches inserting this match's bets hold, and stall every partition meanwhile.
 */
export async function closeMatch(
  deps: Pick<Deps, "db" | "redis" | "partitions">,
  { actor, matchId }: { actor: SessionUser | null; matchId: string },
): Promise<InEffect<{ match: MatchDto }>> {
  const match = await deps.db.transaction(async (tx) => {
    const [row] = await tx.select({ status: matches.status }).from(matches).where(eq(matches.id, matchId)).for("no key update");
    if (!row) throw new AppError("NOT_FOUND", "No such match.");
    if (row.status === "CLOSED") throw new AppError("INVALID_STATE", "Betting on this match is already closed.", { status: row.status });
    await tx
      .update(matches)
      .set({ status: "CLOSED", closedAt: sql`now()` })
      .where(eq(matches.id, matchId));
    // Its markets close with it, so no page shows a market of a closed match as open.
    await tx.update(markets).set({ status: "CLOSED" }).where(eq(markets.matchId, matchId));
    return recordMatchChange(tx, matchId, {
      actorUserId: actor?.id ?? null,
      action: "match.close",
      entityType: "match",
      entityId: matchId,
      before: { status: row.status },
      after: { status: "CLOSED" },
    });
  });
  return { match, inEffect: await putMatchInEffect(deps, match) };
}
