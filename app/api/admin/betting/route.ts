import { bettingSwitchSchema, setBettingSuspended } from "@/server/catalog/betting-switch";
import { getConfig } from "@/server/config";
import { getDb } from "@/server/platform/db";
import { getRedis } from "@/server/platform/redis";
import { parseInput } from "@/server/validation";
import { readJson, route } from "@/app/lib/handler";
import { staffActionResponse } from "@/app/lib/in-effect";
import { requireUser } from "@/app/lib/session";

// POST /api/admin/betting
export const POST = route(async (request) => {
  const staff = await requireUser("staff");
  const input = parseInput(bettingSwitchSchema, await readJson(request));
  const { suspended, inEffect } = await setBettingSuspended(getDb(), getRedis(), getConfig().WRITE_BEHIND_PARTITIONS, staff, input);
  return staffActionResponse({ suspended }, inEffect);
});
