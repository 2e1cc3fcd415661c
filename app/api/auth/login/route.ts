import { NextResponse } from "next/server";
import { logIn } from "@/server/auth/log-in";
import { credentialsSchema } from "@/server/auth/credentials.shared";
import { webDeps } from "@/server/deps";
import { parseInput } from "@/server/validation";
import { readJson, route } from "@/app/lib/handler";
import { loginClient, startSession } from "@/app/lib/session";

// POST /api/auth/login
export const POST = route(async (request) => {
  const input = parseInput(credentialsSchema, await readJson(request));
  const signedIn = await logIn(webDeps(), { ...input, ...(await loginClient(request.headers)) });
  await startSession(signedIn);
  return NextResponse.json({ user: signedIn.user });
});
