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
import { getSessionToken, setSessionCookie } from "@/app/lib/session";

// POST /api/auth/login
export const POST = route(async (request) => {
  const input = parseInput(credentialsSchema, await readJson(request));
  const config = getConfig();
  const db = getDb();
  const deps = { db, limiters: loginLimiters(), sessionTtlHours: config.SESSION_TTL_HOURS };
  const { user, session } = await logIn(deps, input, clientIpFrom(request.headers, config.TRUSTED_PROXY_HOPS));
  // A new session id at every login: a session planted before sign-in is never promoted.
  await revokeSession(db, getRedis(), await getSessionToken());
  await setSessionCookie(session.token, session.expiresAt);
  return NextResponse.json({ user });
});
