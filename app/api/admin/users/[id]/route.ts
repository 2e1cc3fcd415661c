import { webDeps } from "@/server/deps";
import { setStakeFactor, setStakeFactorSchema, userParamsSchema } from "@/server/risk/stake-factors";
import { parseInput } from "@/server/validation";
import { readJson, route } from "@/app/lib/handler";
import { staffActionResponse } from "@/app/lib/in-effect";
import { requireUser } from "@/app/lib/session";

// PATCH /api/admin/users/:id {stakeFactor}
export const PATCH = route<{ id: string }>(async (request, params) => {
  const staff = await requireUser("staff");
  const { id } = parseInput(userParamsSchema, params);
  const input = parseInput(setStakeFactorSchema, await readJson(request));
  const { user, inEffect } = await setStakeFactor(webDeps(), { actor: staff, userId: id, ...input });
  return staffActionResponse({ user }, inEffect);
});
