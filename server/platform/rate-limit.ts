import type { Redis } from "ioredis";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "@/server/errors";

export type Limiter = RateLimiterRedis;

export function createLimiter(redis: Redis, keyPrefix: string, points: number, durationSeconds: number, blockSeconds = 0) {
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `bm:rl:${keyPrefix}`,
    points,
    duration: durationSeconds,
    blockDuration: blockSeconds,
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

/** Throws 429 if the key is already over its limit, without spending a point. */
export async function assertNotLimited(limiter: Limiter, key: string): Promise<void> {
  const res = await limiter.get(key);
  if (res && res.remainingPoints <= 0 && res.msBeforeNext > 0) throw rateLimited(res);
}
