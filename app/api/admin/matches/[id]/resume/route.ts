import { changeMatchStatus } from "@/server/catalog/change-match-status";
import { matchParamsSchema } from "@/server/catalog/get-match";
import { webDeps } from "@/server/deps";
import { parseInput } from "@/server/validation";
import { route } from "@/app/lib/handler";
import { staffActionResponse } from "@/app/lib/in-effect";
import { requireUser } from "@/app/lib/session";

// POST /api/admin/matches/:id/resume
export const POST = route<{ id: string }>(async (_request, params) => {
  const staff = await requireUser("staff");
  const { id } = parseInput(matchParamsSchema, params);
  const { match, inEffect } = await changeMatchStatus(webDeps(), { actor: staff, matchId: id, action: "resume" });
  return staffActionResponse(match, inEffect);
});
