import { cookies, headers } from "next/headers";
import { cache } from "react";
import { requireRole } from "@/server/auth/authorize";
import type { LoginClient } from "@/server/auth/log-in";
import { DEVICE_COOKIE } from "@/server/auth/login-devices";
import type { SessionUser, UserRole } from "@/server/auth/credentials.shared";
import { resolveSession, revokeSession, SESSION_COOKIE, type SignedIn } from "@/server/auth/sessions";
import { webDeps } from "@/server/deps";
import { clientIpFrom, isHttpsFrom } from "@/server/platform/client-ip";

/** The signed-in user of this request, or null; looked up once per request. */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  // The cookie first: while a page is prerendered at build time, reading it makes the page dynamic before any
  // connection is asked for (the build has no DATABASE_URL or REDIS_URL).
  const token = await getSessionToken();
  return resolveSession(webDeps(), { token });
});

/** Throws 401/403 AppErrors: for route handlers. */
export async function requireUser(role?: UserRole): Promise<SessionUser> {
  return requireRole(await getSessionUser(), role);
}

async function getSessionToken(): Promise<string | undefined> {
  return (await cookies()).get(SESSION_COOKIE)?.value;
}

/** Who is signing in, as the login rate limits see them: the client's address and the device cookie it showed. */
export async function loginClient(requestHeaders: Headers): Promise<LoginClient> {
  return {
    ip: clientIpFrom(requestHeaders, webDeps().config.TRUSTED_PROXY_HOPS),
    deviceToken: (await cookies()).get(DEVICE_COOKIE)?.value,
  };
}

/**
 * Puts a sign-in (login or registration) on this browser: its session cookie, and the device cookie that keeps the
 * browser trusted for the account. A new session id at every login: a session planted before sign-in is never
 * promoted (the one this browser showed is revoked).
 */
export async function startSession({ session, device }: SignedIn): Promise<void> {
  const planted = await getSessionToken();
  await revokeSession(webDeps(), { token: planted });
  await setSessionCookie(session.token, session.expiresAt);
  await setDeviceCookie(device.token, device.expiresAt);
}

/** Logout: revokes this browser's session (at once on every instance, see sessions.ts) and drops its cookie. */
export async function endSession(): Promise<void> {
  const token = await getSessionToken();
  await revokeSession(webDeps(), { token });
  (await cookies()).delete(SESSION_COOKIE);
}

/** Secure when the client came over HTTPS (directly or through a trusted proxy), or always with COOKIE_SECURE. */
async function setSessionCookie(token: string, expiresAt: Date): Promise<void> {
  const { config } = webDeps();
  (await cookies()).set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: config.COOKIE_SECURE || isHttpsFrom(await headers(), config.TRUSTED_PROXY_HOPS),
    path: "/",
    expires: expiresAt,
  });
}

// Sent only to /api/auth (sign-in and registration), never cross-site: nothing else needs it.
async function setDeviceCookie(token: string, expiresAt: Date): Promise<void> {
  (await cookies()).set(DEVICE_COOKIE, token, {
    httpOnly: true,
    sameSite: "strict",
    secure: webDeps().config.COOKIE_SECURE,
    path: "/api/auth",
    expires: expiresAt,
  });
}
