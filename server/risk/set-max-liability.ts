import { eq } from "drizzle-orm";
import { z } from "zod";
import { matches } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/credentials.shared";
import { putMatchInEffect } from "@/server/catalog/live-state";
import { recordMatchChange } from "@/server/catalog/record-match-change";
import type { Deps } from "@/server/deps";
import { AppError } from "@/server/errors";

/** PATCH /api/admin/matches/:id {maxLiability, expectedVersion}: the match's liability cap, in minor units. */
export const setMaxLiabilitySchema = z
  .object({
    // Up to 90,000,000.00: the cap times a partition's weight (of 10^6) stays exact in Lua's doubles.
    maxLiability: z.number().int().min(0).max(9_000_000_000),
    expectedVersion: z.number().int().min(1),
  })
  .strict();

/**
 * Sets a match's cap on any one selection's liability (I14). In effect in every partition before the reply, like
 * every staff action: bets accepted from then on are checked against it. Lowering it below a selection's
 * liability refuses every bet that would add to that selection until bets on the others bring it down.
 */
export async function setMaxLiability(
  deps: Pick<Deps, "db" | "redis" | "partitions">,
  { actor, matchId, ...input }: { actor: SessionUser; matchId: string } & z.output<typeof setMaxLiabilitySchema>,
) {
  const match = await deps.db.transaction(async (tx) => {
    const [row] = await tx.select().from(matches).where(eq(matches.id, matchId)).for("no key update");
    if (!row) throw new AppError("NOT_FOUND", "No such match.");
    if (row.settlementState === "SETTLED") throw new AppError("INVALID_STATE", "The match is paid out: its liability is final.");
    if (row.version !== input.expectedVersion) {
      throw new AppError("VERSION_CONFLICT", "The match was changed by someone else: reload it.", {
        current: { version: row.version, maxLiability: row.maxLiability },
      });
    }
    await tx.update(matches).set({ maxLiability: input.maxLiability }).where(eq(matches.id, matchId));
    return recordMatchChange(tx, matchId, {
      actorUserId: actor.id,
      action: "match.max-liability",
      entityType: "match",
      entityId: matchId,
      before: { maxLiability: row.maxLiability },
      after: { maxLiability: input.maxLiability },
    });
  });
  return { match, inEffect: await putMatchInEffect(deps, match) };
}
