import { eq } from "drizzle-orm";
import { matches } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/credentials.shared";
import { AppError } from "@/server/errors";
import type { Deps } from "@/server/deps";
import { putMatchInEffect } from "./live-state";
import type { MatchStatus } from "./match-root";
import { recordMatchChange } from "./record-match-change";

// Closing is in close-match.ts: it also appends completion markers to the bet log.
const transitions = {
  suspend: { from: ["OPEN"], to: "SUSPENDED" },
  resume: { from: ["SUSPENDED", "SCHEDULED"], to: "OPEN" },
} as const satisfies Record<string, { from: readonly MatchStatus[]; to: MatchStatus }>;

export type MatchStatusAction = keyof typeof transitions;

/** Suspends or resumes a match; in effect for bets from the reply on (see putInEffect). */
export async function changeMatchStatus(
  deps: Pick<Deps, "db" | "redis" | "partitions">,
  { actor, matchId, action }: { actor: SessionUser; matchId: string; action: MatchStatusAction },
) {
  const { from, to } = transitions[action];
  const match = await deps.db.transaction(async (tx) => {
    const [match] = await tx.select({ status: matches.status }).from(matches).where(eq(matches.id, matchId)).for("no key update");
    if (!match) throw new AppError("NOT_FOUND", "No such match.");
    if (!(from as readonly MatchStatus[]).includes(match.status)) {
      throw new AppError(
        "INVALID_STATE",
        `A ${match.status.toLowerCase()} match cannot be ${action === "suspend" ? "suspended" : "resumed"}.`,
        { status: match.status },
      );
    }
    await tx.update(matches).set({ status: to }).where(eq(matches.id, matchId));
    return recordMatchChange(tx, matchId, {
      actorUserId: actor.id,
      action: `match.${action}`,
      entityType: "match",
      entityId: matchId,
      before: { status: match.status },
      after: { status: to },
    });
  });
  return { match, inEffect: await putMatchInEffect(deps, match) };
}
