import { cookies, headers } from "next/headers";
import { cache } from "react";
import { requireRole } from "@/server/auth/authorize";
import { DEVICE_COOKIE } from "@/server/auth/login-devices";
import type { SessionUser, UserRole } from "@/server/auth/schemas";
import { resolveSession, SESSION_COOKIE } from "@/server/auth/sessions";
import { getConfig } from "@/server/config";
import { isHttpsFrom } from "@/server/platform/client-ip";
import { getDb } from "@/server/platform/db";
import { getRedis } from "@/server/platform/redis";

/** The signed-in user of this request, or null; looked up once per request. */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  return resolveSession(getDb(), getRedis(), token);
});

/** Throws 401/403 AppErrors: for route handlers. */
export async function requireUser(role?: UserRole): Promise<SessionUser> {
  return requireRole(await getSessionUser(), role);
}

export async function getSessionToken(): Promise<string | undefined> {
  return (await cookies()).get(SESSION_COOKIE)?.value;
}

/** Secure when the client came over HTTPS (directly or through a trusted proxy), or always with COOKIE_SECURE. */
export async function setSessionCookie(token: string, expiresAt: Date): Promise<void> {
  const config = getConfig();
  (await cookies()).set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: config.COOKIE_SECURE || isHttpsFrom(await headers(), config.TRUSTED_PROXY_HOPS),
    path: "/",
    expires: expiresAt,
  });
}

export async function clearSessionCookie(): Promise<void> {
  (await cookies()).delete(SESSION_COOKIE);
}

export async function getDeviceToken(): Promise<string | undefined> {
  return (await cookies()).get(DEVICE_COOKIE)?.value;
}

// Sent only to /api/auth (sign-in and registration), never cross-site: nothing else needs it.
export async function setDeviceCookie(token: string, expiresAt: Date): Promise<void> {
  (await cookies()).set(DEVICE_COOKIE, token, {
    httpOnly: true,
    sameSite: "strict",
    secure: getConfig().COOKIE_SECURE,
    path: "/api/auth",
    expires: expiresAt,
  });
}
