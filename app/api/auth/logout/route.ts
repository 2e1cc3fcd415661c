import { getRedis } from "@/server/platform/redis";
import { revokeSession } from "@/server/auth/sessions";
import { getDb } from "@/server/platform/db";
import { route } from "@/app/lib/handler";
import { clearSessionCookie, getSessionToken } from "@/app/lib/session";

// POST /api/auth/logout
export const POST = route(async () => {
  await revokeSession(getDb(), getRedis(), await getSessionToken());
  await clearSessionCookie();
  return new Response(null, { status: 204 });
});
