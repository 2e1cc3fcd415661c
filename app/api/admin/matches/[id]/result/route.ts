import { NextResponse } from "next/server";
import { matchParamsSchema } from "@/server/catalog/get-match";
import { getDb } from "@/server/platform/db";
import { recordResult } from "@/server/lifecycle/record-result";
import { matchResultSchema } from "@/server/lifecycle/schemas";
import { parseInput } from "@/server/validation";
import { readJson, route } from "@/app/lib/handler";
import { requireUser } from "@/app/lib/session";

// POST /api/admin/matches/:id/result: {winnerSelectionId} or {void: true}; corrections allowed until settled.
export const POST = route<{ id: string }>(async (request, params) => {
  const staff = await requireUser("staff");
  const { id } = parseInput(matchParamsSchema, params);
  const input = parseInput(matchResultSchema, await readJson(request));
  return NextResponse.json(await recordResult(getDb(), staff, id, input));
});
