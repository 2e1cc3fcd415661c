import { NextResponse } from "next/server";
import { closeMatch } from "@/server/catalog/close-match";
import { matchParamsSchema } from "@/server/catalog/get-match";
import { getConfig } from "@/server/config";
import { getDb } from "@/server/platform/db";
import { getRedis } from "@/server/platform/redis";
import { parseInput } from "@/server/validation";
import { route } from "@/app/lib/handler";
import { requireUser } from "@/app/lib/session";

// POST /api/admin/matches/:id/close: 200 once every partition refuses bets for the match.
export const POST = route<{ id: string }>(async (_request, params) => {
  const staff = await requireUser("staff");
  const { id } = parseInput(matchParamsSchema, params);
  return NextResponse.json(await closeMatch(getDb(), getRedis(), getConfig().WRITE_BEHIND_PARTITIONS, staff, id));
});
