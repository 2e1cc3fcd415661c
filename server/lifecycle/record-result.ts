import { and, eq } from "drizzle-orm";
import { markets, matches, selections } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/credentials.shared";
import { matchResult } from "@/server/catalog/load-matches";
import { recordMatchChange } from "@/server/catalog/record-match-change";
import { AppError, validationError } from "@/server/errors";
import type { Deps } from "@/server/deps";
import type { MatchResultInput } from "./match-result.shared";

/**
 * Records (or corrects) the result of a closed match. Corrections are allowed until the payout begins, each one
 * audited with the result before and after; the payout's first transaction locks the match row too and marks the
 * payout begun, so a correction either comes before it (and is paid) or is refused: from then on the result is final.
 */
export async function recordResult(
  deps: Pick<Deps, "db">,
  { actor, matchId, ...input }: { actor: SessionUser; matchId: string } & MatchResultInput,
) {
  return deps.db.transaction(async (tx) => {
    const [match] = await tx.select().from(matches).where(eq(matches.id, matchId)).for("no key update");
    if (!match) throw new AppError("NOT_FOUND", "No such match.");
    if (match.status !== "CLOSED")
      throw new AppError("INVALID_STATE", "Close betting on the match before recording its result.", { status: match.status });
    if (match.settlementState === "SETTLED") {
      throw new AppError("INVALID_STATE", "The match is settled: its result can no longer change.", {
        settlementState: match.settlementState,
      });
    }
    // The payout settles in chunks, each its own transaction, from the result it found when it began.
    if (match.payoutStartedAt) {
      throw new AppError("INVALID_STATE", "The payout of this match is under way: its result can no longer change.", {
        settlementState: match.settlementState,
        payoutStartedAt: match.payoutStartedAt.toISOString(),
      });
    }
    const winnerSelectionId = "winnerSelectionId" in input ? input.winnerSelectionId : null;
    if (winnerSelectionId) {
      const ofMatch = await tx
        .select({ selectionId: selections.id })
        .from(markets)
        .leftJoin(selections, and(eq(selections.marketId, markets.id), eq(selections.id, winnerSelectionId)))
        .where(eq(markets.matchId, matchId));
      if (!ofMatch.some((m) => m.selectionId))
        throw validationError([{ path: "winnerSelectionId", message: "Not a selection of this match." }]);
      // A winner decides the match result only: the other markets need the score.
      if (ofMatch.length > 1)
        throw validationError([{ path: "winnerSelectionId", message: "This match has more markets: send the score." }]);
    }
    const score = "score" in input ? input.score : null;
    await tx
      .update(matches)
      .set({
        resultSelectionId: winnerSelectionId,
        resultVoid: "void" in input,
        resultHomeScore: score?.home ?? null,
        resultAwayScore: score?.away ?? null,
      })
      .where(eq(matches.id, matchId));
    const before = matchResult(match);
    return recordMatchChange(tx, matchId, {
      actorUserId: actor.id,
      action: before ? "match.result-correct" : "match.result",
      entityType: "match",
      entityId: matchId,
      before: { result: before },
      after: { result: input },
    });
  });
}
