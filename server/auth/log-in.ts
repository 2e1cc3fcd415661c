import type { Redis } from "ioredis";
import { RateLimiterRes } from "rate-limiter-flexible";
import { eq } from "drizzle-orm";
import { users } from "@/drizzle/schema";
import type { Config } from "@/server/config";
import { AppError } from "@/server/errors";
import type { Database } from "@/server/platform/db";
import { assertNotLimited, consumeOrThrow, createLimiter, type Limiter } from "@/server/platform/rate-limit";
import { dummyPasswordHash, verifyPassword } from "./passwords";
import type { Credentials, SessionUser } from "./schemas";
import { createSession } from "./sessions";

export type LoginLimiters = { perIp: Limiter; perAccount: Limiter };

export function createLoginLimiters(redis: Redis, config: Config): LoginLimiters {
  return {
    // Every attempt from one address counts: slows credential stuffing across many accounts.
    perIp: createLimiter(redis, "login:ip", config.LOGIN_MAX_ATTEMPTS_PER_IP, config.LOGIN_IP_WINDOW_SECONDS),
    // Failures against one account count, from any address: slows guessing one password. Reset on success.
    perAccount: createLimiter(
      redis,
      "login:account",
      config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      config.LOGIN_ACCOUNT_BLOCK_SECONDS,
      config.LOGIN_ACCOUNT_BLOCK_SECONDS,
    ),
  };
}

type LogInDeps = { db: Database; limiters: LoginLimiters; sessionTtlHours: number };

/** Checks the credentials under both rate limits and opens a new session (a new token at every login). */
export async function logIn({ db, limiters, sessionTtlHours }: LogInDeps, input: Credentials, clientIp: string) {
  await consumeOrThrow(limiters.perIp, clientIp);
  await assertNotLimited(limiters.perAccount, input.email);

  const [found] = await db.select().from(users).where(eq(users.email, input.email)).limit(1);
  const isValid = await verifyPassword(found?.passwordHash ?? (await dummyPasswordHash()), input.password);
  if (!found || !isValid) {
    // This failure itself is answered as a failure; the limit applies from the next attempt on.
    await limiters.perAccount.consume(input.email).catch((error: unknown) => {
      if (!(error instanceof RateLimiterRes)) throw error;
    });
    throw new AppError("BAD_CREDENTIALS", "The email or password is incorrect.");
  }
  await limiters.perAccount.delete(input.email);

  const user: SessionUser = { id: found.id, email: found.email, role: found.role };
  const session = await createSession(db, user.id, sessionTtlHours);
  return { user, session };
}
