import { NextResponse } from "next/server";
import { matchParamsSchema } from "@/server/catalog/get-match";
import { webDeps } from "@/server/deps";
import { requestSettlement } from "@/server/lifecycle/lifecycle-jobs";
import { parseInput } from "@/server/validation";
import { route } from "@/app/lib/handler";
import { requireUser } from "@/app/lib/session";

// POST /api/admin/matches/:id/settle: 202 {jobId}; the match becomes SETTLED when the payout job ends.
export const POST = route<{ id: string }>(async (_request, params) => {
  const staff = await requireUser("staff");
  const { id } = parseInput(matchParamsSchema, params);
  return NextResponse.json(await requestSettlement(webDeps(), { actor: staff, matchId: id }), { status: 202 });
});
