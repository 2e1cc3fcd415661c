import { eq, sql } from "drizzle-orm";
import { users } from "@/drizzle/schema";
import type { Deps } from "@/server/deps";
import { AppError } from "@/server/errors";
import { revokeAllSessions } from "./sessions";

/**
 * POST /api/account/exclusion: a time-out or self-exclusion of `days`. One transaction locks the bettor's row (so no
 * login can open a session meanwhile, see createSession), sets the end (never earlier than one already set) and
 * revokes every session of theirs on every instance. Their open bets are untouched: they are settled and paid.
 */
export async function excludeSelf(
  { db, redis }: Pick<Deps, "db" | "redis">,
  { userId, days, now = new Date() }: { userId: string; days: number; now?: Date },
): Promise<{ excludedUntil: string }> {
  const until = new Date(now.getTime() + days * 86_400_000);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(users)
      .set({
        excludedUntil: sql`greatest(coalesce(${users.excludedUntil}, ${until.toISOString()}::timestamptz), ${until.toISOString()}::timestamptz)`,
      })
      .where(eq(users.id, userId))
      .returning({ excludedUntil: users.excludedUntil });
    if (!row?.excludedUntil) throw new AppError("NOT_FOUND", "No such user.");
    await revokeAllSessions(tx, redis, userId);
    return { excludedUntil: row.excludedUntil.toISOString() };
  });
}
