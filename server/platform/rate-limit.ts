import type { RedisClient } from "./redis";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "@/server/errors";
import { globalKeys } from "@/server/platform/redis-keys";

export type Limiter = RateLimiterRedis;

export function createLimiter(redis: RedisClient, keyPrefix: string, points: number, durationSeconds: number) {
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: globalKeys.rateLimiterPrefix(keyPrefix),
    points,
    duration: durationSeconds,
  });
}

function rateLimited(res: RateLimiterRes): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  return new AppError("RATE_LIMITED", "Too many attempts. Try again later.", { retryAfterSeconds });
}

/** Spends one point; over the limit it throws 429 RATE_LIMITED with the seconds to wait. */
export async function consumeOrThrow(limiter: Limiter, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw rateLimited(error);
    throw error;
  }
}

/**
 * Spends one point of each, in order, all or nothing: over any limit it gives back the points already spent and
 * throws 429 RATE_LIMITED. Spending before the work, not after, keeps concurrent requests within the limit.
 */
export async function consumeAllOrThrow(charges: { limiter: Limiter; key: string }[]): Promise<void> {
  for (const [i, { limiter, key }] of charges.entries()) {
    try {
      await consumeOrThrow(limiter, key);
    } catch (error) {
      await Promise.all(charges.slice(0, i).map((spent) => spent.limiter.reward(spent.key)));
      throw error;
    }
  }
}
