import { NextResponse } from "next/server";
import { matchParamsSchema } from "@/server/catalog/get-match";
import { rescheduleMatch, rescheduleMatchSchema } from "@/server/catalog/reschedule-match";
import { scheduleCloseAfterCommit } from "@/server/lifecycle/lifecycle-jobs";
import { getDb } from "@/server/platform/db";
import { parseInput } from "@/server/validation";
import { readJson, route } from "@/app/lib/handler";
import { requireUser } from "@/app/lib/session";

// PATCH /api/admin/matches/:id {startsAt, expectedVersion}: moves the kick-off; the close at kick-off follows it.
export const PATCH = route<{ id: string }>(async (request, params) => {
  const staff = await requireUser("staff");
  const { id } = parseInput(matchParamsSchema, params);
  const match = await rescheduleMatch(getDb(), staff, id, parseInput(rescheduleMatchSchema, await readJson(request)));
  await scheduleCloseAfterCommit(match);
  return NextResponse.json(match);
});
