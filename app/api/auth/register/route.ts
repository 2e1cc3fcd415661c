import { getRedis } from "@/server/platform/redis";
import { NextResponse } from "next/server";
import { trustDevice } from "@/server/auth/login-devices";
import { createSession, revokeSession } from "@/server/auth/sessions";
import { registerUser } from "@/server/auth/register-user";
import { credentialsSchema } from "@/server/auth/schemas";
import { getConfig } from "@/server/config";
import { getDb } from "@/server/platform/db";
import { parseInput } from "@/server/validation";
import { readJson, route } from "@/app/lib/handler";
import { getSessionToken, setDeviceCookie, setSessionCookie } from "@/app/lib/session";

// POST /api/auth/register: signs the new bettor in, and trusts this browser for their account (see log-in.ts).
export const POST = route(async (request) => {
  const input = parseInput(credentialsSchema, await readJson(request));
  const config = getConfig();
  const db = getDb();
  const user = await registerUser(db, input);
  await revokeSession(db, getRedis(), await getSessionToken());
  const session = await createSession(db, user.id, config.SESSION_TTL_HOURS);
  await setSessionCookie(session.token, session.expiresAt);
  const device = await trustDevice(getRedis(), user.email, config.LOGIN_DEVICE_TTL_DAYS);
  await setDeviceCookie(device.token, device.expiresAt);
  return NextResponse.json({ user }, { status: 201 });
});
