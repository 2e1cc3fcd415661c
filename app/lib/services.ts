import { createLoginLimiters, type LoginLimiters } from "@/server/auth/log-in";
import { BetPlacement } from "@/server/betting/place-bet";
import { getConfig } from "@/server/config";
import { getRedis } from "@/server/platform/redis";
import { singleton } from "@/server/platform/singleton";

// Per-process services the route handlers share.
export function loginLimiters(): LoginLimiters {
  return singleton("login-limiters", () => createLoginLimiters(getRedis(), getConfig()));
}

export function betPlacement(): BetPlacement {
  // Its script counts the per-bettor rate limit itself (one round trip per bet).
  return singleton("bet-placement", () => new BetPlacement(getRedis(), getConfig()));
}
