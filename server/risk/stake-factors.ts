import { asc, eq, like, lt } from "drizzle-orm";
import { z } from "zod";
import { users } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/credentials.shared";
import { recordAudit } from "@/server/audit/record-audit";
import { putInEffect } from "@/server/catalog/live-state";
import type { Deps } from "@/server/deps";
import { AppError } from "@/server/errors";
import { uuidOf } from "@/server/fields.shared";
import { partitionOfUser } from "@/server/platform/partitions";
import { riskKeys } from "@/server/platform/redis-keys";

export const userParamsSchema = z.object({ id: uuidOf("a user id") });

/** GET /api/admin/users?email=: the accounts whose email starts with it (case does not matter). */
export const findUsersSchema = z.object({ email: z.string().trim().toLowerCase().min(1).max(254) }).strict();

/** PATCH /api/admin/users/:id {stakeFactor}: "0.01" to "1.00", two decimals, as API.md writes it. */
export const setStakeFactorSchema = z
  .object({
    stakeFactor: z
      .string()
      .regex(/^(0\.\d\d|1\.00)$/, "Use a decimal from 0.01 to 1.00 with two decimals.")
      .refine((v) => v !== "0.00", "Use a decimal from 0.01 to 1.00 with two decimals."),
  })
  .strict();

const percentOf = (stakeFactor: string) => Math.round(Number(stakeFactor) * 100);
const stakeFactorOf = (percent: number) => (percent / 100).toFixed(2);

const userColumns = {
  id: users.id,
  email: users.email,
  role: users.role,
  stakeFactorPercent: users.stakeFactorPercent,
  excludedUntil: users.excludedUntil,
};
type UserRow = { [K in keyof typeof userColumns]: (typeof users.$inferSelect)[K] };

const userDto = ({ stakeFactorPercent, excludedUntil, ...user }: UserRow) => ({
  ...user,
  stakeFactor: stakeFactorOf(stakeFactorPercent),
  excludedUntil: excludedUntil?.toISOString() ?? null,
});
export type AdminUser = ReturnType<typeof userDto>;

export async function findUsers({ db }: Pick<Deps, "db">, { email }: z.output<typeof findUsersSchema>): Promise<AdminUser[]> {
  const prefix = email.replace(/[\\%_]/g, (c) => `\\${c}`);
  const rows = await db
    .select(userColumns)
    .from(users)
    .where(like(users.email, `${prefix}%`))
    .orderBy(asc(users.email))
    .limit(20);
  return rows.map(userDto);
}

/** The stake factor as acceptance reads it, in the bettor's partition (no field: 1.00). */
function writeStakeFactor({ redis, partitions }: Pick<Deps, "redis" | "partitions">, userId: string, percent: number) {
  const key = riskKeys.bettor(partitionOfUser(userId, partitions), userId);
  return percent === 100 ? redis.hdel(key, "stakeFactor") : redis.hset(key, "stakeFactor", percent);
}

/**
 * Sets a bettor's stake factor, audited; in effect for their next bet (written into their partition after the
 * commit). Resolves inEffect false when Redis could not be reached: the relay's next leadership copies it.
 */
export async function setStakeFactor(
  deps: Pick<Deps, "db" | "redis" | "partitions">,
  { actor, userId, stakeFactor }: { actor: SessionUser; userId: string } & z.output<typeof setStakeFactorSchema>,
): Promise<{ user: AdminUser; inEffect: boolean }> {
  const percent = percentOf(stakeFactor);
  const user = await deps.db.transaction(async (tx) => {
    const [before] = await tx.select(userColumns).from(users).where(eq(users.id, userId)).for("no key update");
    if (!before) throw new AppError("NOT_FOUND", "No such user.");
    const [after] = await tx.update(users).set({ stakeFactorPercent: percent }).where(eq(users.id, userId)).returning(userColumns);
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: "user.stake-factor",
      entityType: "user",
      entityId: userId,
      before: { stakeFactor: stakeFactorOf(before.stakeFactorPercent) },
      after: { stakeFactor },
    });
    return userDto(after!);
  });
  return { user, inEffect: await putInEffect(() => writeStakeFactor(deps, userId, percent)) };
}

/** Copies every reduced stake factor into the partitions: for a Redis that lost its data. */
export async function syncStakeFactors(deps: Pick<Deps, "db" | "redis" | "partitions">): Promise<number> {
  const reduced = await deps.db
    .select({ id: users.id, percent: users.stakeFactorPercent })
    .from(users)
    .where(lt(users.stakeFactorPercent, 100));
  await Promise.all(reduced.map(({ id, percent }) => writeStakeFactor(deps, id, percent)));
  return reduced.length;
}
