import { getRedis } from "@/server/platform/redis";
import { NextResponse } from "next/server";
import { logIn } from "@/server/auth/log-in";
import { credentialsSchema } from "@/server/auth/schemas";
import { revokeSession } from "@/server/auth/sessions";
import { getConfig } from "@/server/config";
import { clientIpFrom } from "@/server/platform/client-ip";
import { getDb } from "@/server/platform/db";
import { parseInput } from "@/server/validation";
import { readJson, route } from "@/app/lib/handler";
import { loginLimiters } from "@/app/lib/services";
import { getDeviceToken, getSessionToken, setDeviceCookie, setSessionCookie } from "@/app/lib/session";

// POST /api/auth/login
export const POST = route(async (request) => {
  const input = parseInput(credentialsSchema, await readJson(request));
  const config = getConfig();
  const db = getDb();
  const deps = { db, redis: getRedis(), limiters: loginLimiters(), sessionTtlHours: config.SESSION_TTL_HOURS, deviceTtlDays: config.LOGIN_DEVICE_TTL_DAYS };
  const client = { ip: clientIpFrom(request.headers, config.TRUSTED_PROXY_HOPS), deviceToken: await getDeviceToken() };
  const { user, session, device } = await logIn(deps, input, client);
  // A new session id at every login: a session planted before sign-in is never promoted.
  await revokeSession(db, getRedis(), await getSessionToken());
  await setSessionCookie(session.token, session.expiresAt);
  await setDeviceCookie(device.token, device.expiresAt);
  return NextResponse.json({ user });
});
