import { NextResponse } from "next/server";
import { excludeSelf } from "@/server/auth/exclude-self";
import { webDeps } from "@/server/deps";
import { parseInput } from "@/server/validation";
import { exclusionSchema } from "@/server/wallet/safer-gambling.shared";
import { readJson, route } from "@/app/lib/handler";
import { endSession, requireUser } from "@/app/lib/session";

// POST /api/account/exclusion: a time-out or self-exclusion; every session of the bettor is revoked.
export const POST = route(async (request) => {
  const user = await requireUser("bettor");
  const { days } = parseInput(exclusionSchema, await readJson(request));
  const excluded = await excludeSelf(webDeps(), { userId: user.id, days });
  await endSession();
  return NextResponse.json(excluded);
});
