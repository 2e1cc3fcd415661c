import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { markets, matches, selections } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/credentials.shared";
import { AppError } from "@/server/errors";
import { uuidOf } from "@/server/fields.shared";
import type { Deps } from "@/server/deps";
import { putMatchInEffect } from "./live-state";
import { formatOdds, oddsStringSchema } from "@/server/odds.shared";
import { recordMatchChange } from "./record-match-change";

export const editOddsSchema = z.object({
  odds: oddsStringSchema,
  expectedVersion: z.number().int().min(1),
});

export const selectionIdSchema = uuidOf("a selection id");
export const selectionParamsSchema = z.object({ id: selectionIdSchema });

const toDto = (s: typeof selections.$inferSelect) => ({ id: s.id, name: s.name, odds: formatOdds(s.odds), version: s.version });

/**
 * Optimistic edit of one price: refused with VERSION_CONFLICT (and the current price) unless the staff member saw
 * the latest version. The row lock makes two concurrent edits of one price queue up, so exactly one wins.
 */
export async function editSelectionOdds(
  deps: Pick<Deps, "db" | "redis" | "partitions">,
  { actor, selectionId, ...input }: { actor: SessionUser; selectionId: string } & z.output<typeof editOddsSchema>,
) {
  const { selection, match } = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ selection: selections, matchId: markets.matchId, matchStatus: matches.status })
      .from(selections)
      .innerJoin(markets, eq(markets.id, selections.marketId))
      .innerJoin(matches, eq(matches.id, markets.matchId))
      .where(eq(selections.id, selectionId))
      .for("update", { of: selections });
    if (!row) throw new AppError("NOT_FOUND", "No such selection.");
    if (row.selection.version !== input.expectedVersion) {
      throw new AppError("VERSION_CONFLICT", `The price was changed by someone else: it is now ${formatOdds(row.selection.odds)}.`, {
        current: toDto(row.selection),
      });
    }
    if (row.matchStatus === "CLOSED")
      throw new AppError("INVALID_STATE", "Betting on this match is closed; its prices can no longer change.");
    const [updated] = await tx
      .update(selections)
      .set({ odds: input.odds, version: sql`${selections.version} + 1` })
      .where(eq(selections.id, selectionId))
      .returning();
    const match = await recordMatchChange(tx, row.matchId, {
      actorUserId: actor.id,
      action: "selection.odds",
      entityType: "selection",
      entityId: selectionId,
      before: toDto(row.selection),
      after: toDto(updated!),
    });
    return { selection: toDto(updated!), match };
  });
  // Bets are checked against the live state: the new price is in effect once every partition has it (I11).
  return { selection, inEffect: await putMatchInEffect(deps, match) };
}
