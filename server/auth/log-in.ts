import type { RedisClient } from "@/server/platform/redis";
import { eq } from "drizzle-orm";
import { users } from "@/drizzle/schema";
import type { Config } from "@/server/config";
import type { Deps } from "@/server/deps";
import { AppError } from "@/server/errors";
import { consumeAllOrThrow, consumeOrThrow, createLimiter, type Limiter } from "@/server/platform/rate-limit";
import { trustedDeviceId } from "./login-devices";
import { dummyPasswordHash, verifyPassword } from "./passwords";
import type { Credentials, SessionUser } from "./credentials.shared";
import { exclusionError, openSession } from "./sessions";

type LoginLimiters = { perIp: Limiter; perClient: Limiter; perAccount: Limiter };

function createLoginLimiters(redis: RedisClient, config: Config): LoginLimiters {
  return {
    // Every attempt from one address counts: slows credential stuffing across many accounts.
    perIp: createLimiter(redis, "login:ip", config.LOGIN_MAX_ATTEMPTS_PER_IP, config.LOGIN_IP_WINDOW_SECONDS),
    // Failures against one account from one client (an address, or a browser trusted for the account): throttles
    // a guesser where they are without touching anyone else.
    perClient: createLimiter(redis, "login:client", config.LOGIN_MAX_FAILURES_PER_CLIENT, config.LOGIN_CLIENT_WINDOW_SECONDS),
    // Failures against one account from untrusted browsers, from any address: bounds a guesser with many
    // addresses. Its owner's trusted browsers are not subject to it.
    perAccount: createLimiter(redis, "login:account", config.LOGIN_MAX_FAILURES_PER_ACCOUNT, config.LOGIN_ACCOUNT_WINDOW_SECONDS),
  };
}

// Built once per Redis connection, so once per process for the web (its deps are built once), with the limits of
// the config they were first built with: a process has one config.
const limitersByConnection = new WeakMap<RedisClient, LoginLimiters>();

function loginLimiters({ redis, config }: Pick<Deps, "redis" | "config">): LoginLimiters {
  let limiters = limitersByConnection.get(redis);
  if (!limiters) {
    limiters = createLoginLimiters(redis, config);
    limitersByConnection.set(redis, limiters);
  }
  return limiters;
}

export type LoginClient = { ip: string; deviceToken: string | undefined };

/**
 * Checks the credentials under the rate limits and opens a new session (a new token at every login); the browser
 * gets a new device token, which makes it trusted for this account from then on.
 */
export async function logIn(deps: Pick<Deps, "db" | "redis" | "config">, { deviceToken, ip, ...input }: Credentials & LoginClient) {
  const { db, redis } = deps;
  const limiters = loginLimiters(deps);
  const deviceId = await trustedDeviceId(redis, input.email, deviceToken);
  const clientKey = deviceId ? `device:${deviceId}` : `ip:${ip}:${input.email}`;
  // Every attempt is charged as a failure before the password is checked, and refunded if it was right.
  if (deviceId) {
    await consumeOrThrow(limiters.perClient, clientKey);
  } else {
    await consumeOrThrow(limiters.perIp, ip);
    await consumeAllOrThrow([
      { limiter: limiters.perClient, key: clientKey },
      { limiter: limiters.perAccount, key: input.email },
    ]);
  }

  const [found] = await db.select().from(users).where(eq(users.email, input.email)).limit(1);
  const isValid = await verifyPassword(found?.passwordHash ?? (await dummyPasswordHash()), input.password);
  if (!found || !isValid) throw new AppError("BAD_CREDENTIALS", "The email or password is incorrect.");
  // Told only to whoever knows the password, so the exclusion is no hint to a guesser.
  if (found.excludedUntil && found.excludedUntil > new Date()) throw exclusionError(found.excludedUntil);
  // The client's failures are forgiven. The account's earlier ones are not: the owner signing in must not hand a
  // stranger a fresh allowance of guesses.
  await limiters.perClient.delete(clientKey);
  if (!deviceId) await limiters.perAccount.reward(input.email);

  const user: SessionUser = { id: found.id, email: found.email, role: found.role };
  return openSession(deps, { user, previousDeviceToken: deviceId ? deviceToken : undefined });
}
