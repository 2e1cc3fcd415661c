import { createLoginLimiters, type LoginLimiters } from "@/server/auth/log-in";
import { getConfig } from "@/server/config";
import { getRedis } from "@/server/platform/redis";

// Per-process singletons the route handlers share, created on first use (never at build time).
const globalForServices = globalThis as unknown as { loginLimiters?: LoginLimiters };

export function loginLimiters(): LoginLimiters {
  globalForServices.loginLimiters ??= createLoginLimiters(getRedis(), getConfig());
  return globalForServices.loginLimiters;
}
