import { NextResponse } from "next/server";
import { signUp } from "@/server/auth/register-user";
import { credentialsSchema } from "@/server/auth/credentials.shared";
import { webDeps } from "@/server/deps";
import { parseInput } from "@/server/validation";
import { readJson, route } from "@/app/lib/handler";
import { startSession } from "@/app/lib/session";

// POST /api/auth/register: signs the new bettor in, and trusts this browser for their account (see log-in.ts).
export const POST = route(async (request) => {
  const input = parseInput(credentialsSchema, await readJson(request));
  const signedIn = await signUp(webDeps(), input);
  await startSession(signedIn);
  return NextResponse.json({ user: signedIn.user }, { status: 201 });
});
