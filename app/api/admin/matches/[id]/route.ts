import { NextResponse } from "next/server";
import { matchParamsSchema } from "@/server/catalog/get-match";
import { rescheduleMatchSchema } from "@/server/catalog/reschedule-match";
import { webDeps } from "@/server/deps";
import { rescheduleMatch } from "@/server/lifecycle/kick-off";
import { setMaxLiability, setMaxLiabilitySchema } from "@/server/risk/set-max-liability";
import { parseInput } from "@/server/validation";
import { readJson, route } from "@/app/lib/handler";
import { staffActionResponse } from "@/app/lib/in-effect";
import { requireUser } from "@/app/lib/session";

// PATCH /api/admin/matches/:id {startsAt, expectedVersion} moves the kick-off (the close at kick-off follows it);
// {maxLiability, expectedVersion} sets the liability cap.
export const PATCH = route<{ id: string }>(async (request, params) => {
  const staff = await requireUser("staff");
  const { id } = parseInput(matchParamsSchema, params);
  const body = await readJson(request);
  if (typeof body === "object" && body !== null && "maxLiability" in body) {
    const { match, inEffect } = await setMaxLiability(webDeps(), { actor: staff, matchId: id, ...parseInput(setMaxLiabilitySchema, body) });
    return staffActionResponse(match, inEffect);
  }
  const input = parseInput(rescheduleMatchSchema, body);
  return NextResponse.json(await rescheduleMatch(webDeps(), { actor: staff, matchId: id, ...input }));
});
