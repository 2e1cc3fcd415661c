import { createHash, randomBytes } from "node:crypto";
import type { RedisClient } from "@/server/platform/redis";
import { globalKeys } from "@/server/platform/redis-keys";

/**
 * OWASP's "device cookie": a browser that signed in to an account is trusted for that account afterwards, so a
 * stranger's failures (which throttle untrusted browsers) never lock its owner out. The cookie holds a random
 * token; Redis holds only a hash of (account, token), which is also the device's rate-limit key.
 */
export const DEVICE_COOKIE = "bm_device";

const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/; // 32 random bytes, base64url

const deviceId = (email: string, token: string) => createHash("sha256").update(`${email}\n${token}`).digest("hex");
const deviceKey = globalKeys.loginDevice;

/** The device's id when `token` was issued to this browser at a successful login to `email`, else null. */
export async function trustedDeviceId(redis: RedisClient, email: string, token: string | undefined): Promise<string | null> {
  if (!token || !TOKEN_FORMAT.test(token)) return null;
  const id = deviceId(email, token);
  return (await redis.exists(deviceKey(id))) ? id : null;
}

/** After a successful sign-in: a new token for this browser (the one it showed, if any, is retired). */
export async function trustDevice(redis: RedisClient, email: string, ttlDays: number, previousToken?: string) {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + ttlDays * 86_400_000);
  // Two keys in two Cluster slots: two commands. Should the retirement fail, the old token lives out its own expiry.
  await Promise.all([
    redis.set(deviceKey(deviceId(email, token)), "1", "PXAT", expiresAt.getTime()),
    previousToken ? redis.del(deviceKey(deviceId(email, previousToken))) : null,
  ]);
  return { token, expiresAt };
}
