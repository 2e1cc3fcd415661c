import { NextResponse } from "next/server";
import { bettingSwitchSchema, setBettingSuspended } from "@/server/catalog/betting-switch";
import { getDb } from "@/server/platform/db";
import { parseInput } from "@/server/validation";
import { readJson, route } from "@/app/lib/handler";
import { requireUser } from "@/app/lib/session";

// POST /api/admin/betting
export const POST = route(async (request) => {
  const staff = await requireUser("staff");
  const input = parseInput(bettingSwitchSchema, await readJson(request));
  const { suspended } = await setBettingSuspended(getDb(), staff, input);
  return NextResponse.json({ suspended });
});
