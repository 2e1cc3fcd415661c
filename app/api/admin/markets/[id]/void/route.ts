import { marketParamsSchema, voidMarket } from "@/server/catalog/void-market";
import { webDeps } from "@/server/deps";
import { parseInput } from "@/server/validation";
import { route } from "@/app/lib/handler";
import { staffActionResponse } from "@/app/lib/in-effect";
import { requireUser } from "@/app/lib/session";

// POST /api/admin/markets/:id/void
export const POST = route<{ id: string }>(async (_request, params) => {
  const staff = await requireUser("staff");
  const { id } = parseInput(marketParamsSchema, params);
  const { match, inEffect } = await voidMarket(webDeps(), { actor: staff, marketId: id });
  return staffActionResponse(match, inEffect);
});
