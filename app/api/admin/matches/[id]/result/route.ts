import { NextResponse } from "next/server";
import { matchParamsSchema } from "@/server/catalog/get-match";
import { webDeps } from "@/server/deps";
import { recordResult } from "@/server/lifecycle/record-result";
import { matchResultSchema } from "@/server/lifecycle/match-result.shared";
import { parseInput } from "@/server/validation";
import { readJson, route } from "@/app/lib/handler";
import { requireUser } from "@/app/lib/session";

// POST /api/admin/matches/:id/result: {winnerSelectionId} or {void: true}; corrections allowed until settled.
export const POST = route<{ id: string }>(async (request, params) => {
  const staff = await requireUser("staff");
  const { id } = parseInput(matchParamsSchema, params);
  const input = parseInput(matchResultSchema, await readJson(request));
  return NextResponse.json(await recordResult(webDeps(), { actor: staff, matchId: id, ...input }));
});
