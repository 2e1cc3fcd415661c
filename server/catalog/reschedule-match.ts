import { eq } from "drizzle-orm";
import { z } from "zod";
import { matches } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/schemas";
import { AppError } from "@/server/errors";
import { isoDateTimeSchema } from "@/server/fields";
import type { Database } from "@/server/platform/db";
import { recordMatchChange } from "./record-match-change";

/** PATCH /api/admin/matches/:id: moves the kick-off (and with it the automatic close) of a match not yet closed. */
export const rescheduleMatchSchema = z
  .object({
    startsAt: isoDateTimeSchema,
    expectedVersion: z.number().int().min(1),
  })
  .strict();

export async function rescheduleMatch(db: Database, actor: SessionUser, matchId: string, input: z.output<typeof rescheduleMatchSchema>) {
  return db.transaction(async (tx) => {
    const [match] = await tx.select().from(matches).where(eq(matches.id, matchId)).for("no key update");
    if (!match) throw new AppError("NOT_FOUND", "No such match.");
    if (match.status === "CLOSED") throw new AppError("INVALID_STATE", "Betting on this match is closed; its kick-off can no longer move.", { status: match.status });
    if (match.version !== input.expectedVersion) {
      throw new AppError("VERSION_CONFLICT", "The match was changed by someone else: reload it.", { current: { version: match.version, startsAt: match.startsAt.toISOString() } });
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
