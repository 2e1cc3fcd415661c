import { eq } from "drizzle-orm";
import { z } from "zod";
import { markets, matches } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/credentials.shared";
import type { Deps } from "@/server/deps";
import { AppError } from "@/server/errors";
import { uuidOf } from "@/server/fields.shared";
import { putMatchInEffect } from "./live-state";
import { recordMatchChange } from "./record-match-change";

export const marketParamsSchema = z.object({ id: uuidOf("a market id") });

/**
 * Abandons one market of a match that is not paid out yet: it takes no more bets (in effect from the reply on,
 * like a suspension) and the payout returns the stakes of its bets, whatever the result. Final: a voided market
 * never reopens. The match row is locked first, as the payout's first transaction locks it before it marks the payout
 * begun, so a void either comes before the payout (which returns the stakes) or is refused.
 */
export async function voidMarket(
  deps: Pick<Deps, "db" | "redis" | "partitions">,
  { actor, marketId }: { actor: SessionUser; marketId: string },
) {
  const match = await deps.db.transaction(async (tx) => {
    const [market] = await tx.select().from(markets).where(eq(markets.id, marketId));
    if (!market) throw new AppError("NOT_FOUND", "No such market.");
    const [owner] = await tx.select().from(matches).where(eq(matches.id, market.matchId)).for("no key update");
    if (owner!.settlementState === "SETTLED") throw new AppError("INVALID_STATE", "The match is paid out: its markets are final.");
    if (owner!.payoutStartedAt) throw new AppError("INVALID_STATE", "The payout of this match is under way: its markets are final.");
    if (market.voided) throw new AppError("INVALID_STATE", "The market is already void.");
    await tx.update(markets).set({ status: "CLOSED", voided: true }).where(eq(markets.id, marketId));
    return recordMatchChange(tx, market.matchId, {
      actorUserId: actor.id,
      action: "market.void",
      entityType: "market",
      entityId: marketId,
      before: { status: market.status, voided: false },
      after: { status: "CLOSED", voided: true },
    });
  });
  return { match, inEffect: await putMatchInEffect(deps, match) };
}
