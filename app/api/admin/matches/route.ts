import { NextResponse } from "next/server";
import { createMatchSchema } from "@/server/catalog/create-match";
import { webDeps } from "@/server/deps";
import { createMatch } from "@/server/lifecycle/kick-off";
import { parseInput } from "@/server/validation";
import { readJson, route } from "@/app/lib/handler";
import { requireUser } from "@/app/lib/session";

// POST /api/admin/matches
export const POST = route(async (request) => {
  const staff = await requireUser("staff");
  const input = parseInput(createMatchSchema, await readJson(request));
  return NextResponse.json(await createMatch(webDeps(), { actor: staff, ...input }), { status: 201 });
});
