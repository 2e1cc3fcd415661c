import { createLoginLimiters, type LoginLimiters } from "@/server/auth/log-in";
import { BetPlacement } from "@/server/betting/place-bet";
import { getConfig } from "@/server/config";
import { createLimiter } from "@/server/platform/rate-limit";
import { getRedis } from "@/server/platform/redis";

// Per-process singletons the route handlers share, created on first use (never at build time).
const globalForServices = globalThis as unknown as { loginLimiters?: LoginLimiters; betPlacement?: BetPlacement };

export function loginLimiters(): LoginLimiters {
  globalForServices.loginLimiters ??= createLoginLimiters(getRedis(), getConfig());
  return globalForServices.loginLimiters;
}

export function betPlacement(): BetPlacement {
  const config = getConfig();
  globalForServices.betPlacement ??= new BetPlacement(getRedis(), config, createLimiter(getRedis(), "bets:user", config.BET_RATE_LIMIT_PER_MINUTE, 60));
  return globalForServices.betPlacement;
}
