import { NextResponse } from "next/server";
import { createMatch, createMatchSchema } from "@/server/catalog/create-match";
import { scheduleCloseAfterCommit } from "@/server/lifecycle/lifecycle-jobs";
import { getDb } from "@/server/platform/db";
import { parseInput } from "@/server/validation";
import { readJson, route } from "@/app/lib/handler";
import { requireUser } from "@/app/lib/session";

// POST /api/admin/matches
export const POST = route(async (request) => {
  const staff = await requireUser("staff");
  const input = parseInput(createMatchSchema, await readJson(request));
  const match = await createMatch(getDb(), staff, input);
  await scheduleCloseAfterCommit(match);
  return NextResponse.json(match, { status: 201 });
});
