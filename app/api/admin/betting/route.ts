import { bettingSwitchSchema, setBettingSuspended } from "@/server/catalog/betting-switch";
import { webDeps } from "@/server/deps";
import { parseInput } from "@/server/validation";
import { readJson, route } from "@/app/lib/handler";
import { staffActionResponse } from "@/app/lib/in-effect";
import { requireUser } from "@/app/lib/session";

// POST /api/admin/betting
export const POST = route(async (request) => {
  const staff = await requireUser("staff");
  const input = parseInput(bettingSwitchSchema, await readJson(request));
  const { suspended, inEffect } = await setBettingSuspended(webDeps(), { actor: staff, ...input });
  return staffActionResponse({ suspended }, inEffect);
});
