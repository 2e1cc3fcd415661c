import { eq } from "drizzle-orm";
import { z } from "zod";
import { matches } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/credentials.shared";
import { AppError } from "@/server/errors";
import { isoDateTimeSchema } from "@/server/fields.shared";
import type { Deps } from "@/server/deps";
import { recordMatchChange } from "./record-match-change";

/** PATCH /api/admin/matches/:id: moves the kick-off (and with it the automatic close) of a match not yet closed. */
export const rescheduleMatchSchema = z
  .object({
    startsAt: isoDateTimeSchema,
    expectedVersion: z.number().int().min(1),
  })
  .strict();

/** The catalog's half of moving a kick-off; the use case is rescheduleMatch in server/lifecycle/kick-off.ts. */
export async function rescheduleMatchRoot(
  deps: Pick<Deps, "db">,
  { actor, matchId, ...input }: { actor: SessionUser; matchId: string } & z.output<typeof rescheduleMatchSchema>,
) {
  return deps.db.transaction(async (tx) => {
    const [match] = await tx.select().from(matches).where(eq(matches.id, matchId)).for("no key update");
    if (!match) throw new AppError("NOT_FOUND", "No such match.");
    if (match.status === "CLOSED")
      throw new AppError("INVALID_STATE", "Betting on this match is closed; its kick-off can no longer move.", { status: match.status });
    if (match.version !== input.expectedVersion) {
      throw new AppError("VERSION_CONFLICT", "The match was changed by someone else: reload it.", {
        current: { version: match.version, startsAt: match.startsAt.toISOString() },
      });
    }
    const startsAt = new Date(input.startsAt);
    await tx.update(matches).set({ startsAt }).where(eq(matches.id, matchId));
    return recordMatchChange(tx, matchId, {
      actorUserId: actor.id,
      action: "match.reschedule",
      entityType: "match",
      entityId: matchId,
      before: { startsAt: match.startsAt.toISOString() },
      after: { startsAt: startsAt.toISOString() },
    });
  });
}
