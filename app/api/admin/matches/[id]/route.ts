import { NextResponse } from "next/server";
import { matchParamsSchema } from "@/server/catalog/get-match";
import { rescheduleMatchSchema } from "@/server/catalog/reschedule-match";
import { webDeps } from "@/server/deps";
import { rescheduleMatch } from "@/server/lifecycle/kick-off";
import { parseInput } from "@/server/validation";
import { readJson, route } from "@/app/lib/handler";
import { requireUser } from "@/app/lib/session";

// PATCH /api/admin/matches/:id {startsAt, expectedVersion}: moves the kick-off; the close at kick-off follows it.
export const PATCH = route<{ id: string }>(async (request, params) => {
  const staff = await requireUser("staff");
  const { id } = parseInput(matchParamsSchema, params);
  const input = parseInput(rescheduleMatchSchema, await readJson(request));
  return NextResponse.json(await rescheduleMatch(webDeps(), { actor: staff, matchId: id, ...input }));
});
