import { getRedis } from "@/server/platform/redis";
import { NextResponse } from "next/server";
import { createSession, revokeSession } from "@/server/auth/sessions";
import { registerUser } from "@/server/auth/register-user";
import { credentialsSchema } from "@/server/auth/schemas";
import { getConfig } from "@/server/config";
import { getDb } from "@/server/platform/db";
import { parseInput } from "@/server/validation";
import { readJson, route } from "@/app/lib/handler";
import { getSessionToken, setSessionCookie } from "@/app/lib/session";

// POST /api/auth/register
export const POST = route(async (request) => {
  const input = parseInput(credentialsSchema, await readJson(request));
  const db = getDb();
  const user = await registerUser(db, input);
  await revokeSession(db, getRedis(), await getSessionToken());
  const session = await createSession(db, user.id, getConfig().SESSION_TTL_HOURS);
  await setSessionCookie(session.token, session.expiresAt);
  return NextResponse.json({ user }, { status: 201 });
});
