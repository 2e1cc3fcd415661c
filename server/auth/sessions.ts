import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, lt, sql } from "drizzle-orm";
import { sessions, users } from "@/drizzle/schema";
import type { Deps } from "@/server/deps";
import { AppError } from "@/server/errors";
import type { DbOrTx } from "@/server/platform/db";
import type { RedisClient } from "@/server/platform/redis";
import { logger } from "@/server/platform/logger";
import { trustDevice } from "./login-devices";
import { sessionUserSchema, type SessionUser } from "./credentials.shared";
import { globalKeys } from "@/server/platform/redis-keys";

export const SESSION_COOKIE = "bm_session";

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * Creates a session with a fresh random token (256 bits); only its hash is stored. Not for an excluded bettor: the
 * insert reads the user's row FOR SHARE, so it waits for a self-exclusion in progress (which locks the row, then
 * revokes every session) and then finds the bettor excluded, rather than slipping a session in behind it.
 */
async function createSession({ db, config }: Pick<Deps, "db" | "config">, userId: string) {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + config.SESSION_TTL_HOURS * 3600_000);
  const created = await db.execute(sql`
    insert into sessions (token_hash, user_id, expires_at)
    select ${hashToken(token)}::text, id, ${expiresAt.toISOString()}::timestamptz from users
    where id = ${userId} and (excluded_until is null or excluded_until <= now())
    for share`);
  if (created.count !== 1) throw exclusionError(await excludedUntil(db, userId));
  return { token, expiresAt };
}

/** When the user's self-exclusion ends, if it has not yet. */
async function excludedUntil(db: DbOrTx, userId: string): Promise<Date | null> {
  const [row] = await db.select({ excludedUntil: users.excludedUntil }).from(users).where(eq(users.id, userId));
  return row?.excludedUntil && row.excludedUntil > new Date() ? row.excludedUntil : null;
}

export const exclusionError = (until: Date | null) =>
  new AppError(
    "ACCOUNT_EXCLUDED",
    `This account is excluded from gambling until ${until?.toISOString().slice(0, 16).replace("T", " ")} UTC.`,
    {
      excludedUntil: until?.toISOString() ?? null,
    },
  );

/**
 * Signs `user` in: a new session (a new token at every sign-in), and a new device token, which makes this browser
 * trusted for the account from then on (`previousDeviceToken`, the trusted one it showed, is retired).
 */
export async function openSession(
  deps: Pick<Deps, "db" | "redis" | "config">,
  { user, previousDeviceToken }: { user: SessionUser; previousDeviceToken?: string },
) {
  const session = await createSession(deps, user.id);
  const device = await trustDevice(deps.redis, user.email, deps.config.LOGIN_DEVICE_TTL_DAYS, previousDeviceToken);
  return { user, session, device };
}

export type SignedIn = Awaited<ReturnType<typeof openSession>>;

/**
 * Sessions are cached in Redis, so a signed-in request (placing a bet) needs no PostgreSQL and keeps working
 * while it is down. PostgreSQL stays the record; a revoked session leaves a tombstone the cache cannot be
 * refilled over, so logout is immediate on every instance.
 */
const cacheKey = globalKeys.session;
const REVOKED = "revoked";
const TOMBSTONE_MS = 3600_000;

/** The signed-in user of a session token, or null when the token is unknown, revoked or expired. */
export async function resolveSession(
  { db, redis }: Pick<Deps, "db" | "redis">,
  { token }: { token: string | undefined },
): Promise<SessionUser | null> {
  if (!token) return null;
  const key = cacheKey(hashToken(token));
  const cached = await redis.get(key).catch((error: unknown) => {
    logger.warn({ err: error }, "session cache unavailable; reading PostgreSQL");
    return null;
  });
  if (cached === REVOKED) return null;
  if (cached) return sessionUserSchema.parse(JSON.parse(cached));
  const [row] = await db
    .select({ id: users.id, email: users.email, role: users.role, expiresAt: sessions.expiresAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, hashToken(token)), gt(sessions.expiresAt, new Date())))
    .limit(1);
  if (!row) return null;
  const { expiresAt, ...user } = row;
  // NX: never over a tombstone written by a logout that raced this read.
  await redis.set(key, JSON.stringify(user), "PXAT", expiresAt.getTime(), "NX").catch(() => {});
  return user;
}

const tombstone = (redis: RedisClient, tokenHash: string) => redis.set(cacheKey(tokenHash), REVOKED, "PX", TOMBSTONE_MS);

export async function revokeSession({ db, redis }: Pick<Deps, "db" | "redis">, { token }: { token: string | undefined }): Promise<void> {
  if (!token) return;
  await db.delete(sessions).where(eq(sessions.tokenHash, hashToken(token)));
  await tombstone(redis, hashToken(token));
}

/**
 * Revokes every session of a user, in the caller's transaction: the cache's tombstones are written before it
 * commits, so a failure to reach Redis rolls the whole change back rather than leaving cached sessions valid.
 */
export async function revokeAllSessions(tx: DbOrTx, redis: RedisClient, userId: string): Promise<number> {
  const revoked = await tx.delete(sessions).where(eq(sessions.userId, userId)).returning({ tokenHash: sessions.tokenHash });
  await Promise.all(revoked.map((r) => tombstone(redis, r.tokenHash)));
  return revoked.length;
}

export async function deleteExpiredSessions({ db }: Pick<Deps, "db">, { now = new Date() }: { now?: Date } = {}): Promise<number> {
  const deleted = await db.delete(sessions).where(lt(sessions.expiresAt, now)).returning({ tokenHash: sessions.tokenHash });
  return deleted.length;
}
