import { NextResponse } from "next/server";
import { changeMatchStatus } from "@/server/catalog/change-match-status";
import { matchParamsSchema } from "@/server/catalog/get-match";
import { getDb } from "@/server/platform/db";
import { parseInput } from "@/server/validation";
import { route } from "@/app/lib/handler";
import { requireUser } from "@/app/lib/session";

// POST /api/admin/matches/:id/suspend
export const POST = route<{ id: string }>(async (_request, params) => {
  const staff = await requireUser("staff");
  const { id } = parseInput(matchParamsSchema, params);
  return NextResponse.json(await changeMatchStatus(getDb(), staff, id, "suspend"));
});
