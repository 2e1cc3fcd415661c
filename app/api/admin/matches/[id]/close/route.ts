import { closeMatch } from "@/server/lifecycle/close-match";
import { matchParamsSchema } from "@/server/catalog/get-match";
import { webDeps } from "@/server/deps";
import { parseInput } from "@/server/validation";
import { route } from "@/app/lib/handler";
import { staffActionResponse } from "@/app/lib/in-effect";
import { requireUser } from "@/app/lib/session";

// POST /api/admin/matches/:id/close: 200 once every partition refuses bets for the match (202 if not yet).
export const POST = route<{ id: string }>(async (_request, params) => {
  const staff = await requireUser("staff");
  const { id } = parseInput(matchParamsSchema, params);
  const { match, inEffect } = await closeMatch(webDeps(), { actor: staff, matchId: id });
  return staffActionResponse(match, inEffect);
});
