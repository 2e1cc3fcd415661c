import { NextResponse } from "next/server";
import { matchParamsSchema } from "@/server/catalog/get-match";
import { webDeps } from "@/server/deps";
import { getSettlementStatus } from "@/server/lifecycle/settlement-status";
import { parseInput } from "@/server/validation";
import { route } from "@/app/lib/handler";
import { requireUser } from "@/app/lib/session";

// GET /api/admin/matches/:id/settlement: marker progress per partition, the payout record, the payout job.
export const GET = route<{ id: string }>(async (_request, params) => {
  await requireUser("staff");
  const { id } = parseInput(matchParamsSchema, params);
  return NextResponse.json(await getSettlementStatus(webDeps(), { matchId: id }));
});
