import { createLoginLimiters, type LoginLimiters } from "@/server/auth/log-in";
import { BetPlacement } from "@/server/betting/place-bet";
import { getConfig } from "@/server/config";
import { getRedis } from "@/server/platform/redis";

// Per-process singletons the route handlers share, created on first use (never at build time).
const globalForServices = globalThis as unknown as { loginLimiters?: LoginLimiters; betPlacement?: BetPlacement };

export function loginLimiters(): LoginLimiters {
  globalForServices.loginLimiters ??= createLoginLimiters(getRedis(), getConfig());
  return globalForServices.loginLimiters;
}

export function betPlacement(): BetPlacement {
  const config = getConfig();
  // Its script counts the per-bettor rate limit itself (one round trip per bet).
  globalForServices.betPlacement ??= new BetPlacement(getRedis(), config);
  return globalForServices.betPlacement;
}
