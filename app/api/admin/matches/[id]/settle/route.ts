import { NextResponse } from "next/server";
import { matchParamsSchema } from "@/server/catalog/get-match";
import { getMatchLifecycleQueue } from "@/server/jobs/match-lifecycle";
import { requestSettlement } from "@/server/lifecycle/lifecycle-jobs";
import { getDb } from "@/server/platform/db";
import { parseInput } from "@/server/validation";
import { route } from "@/app/lib/handler";
import { requireUser } from "@/app/lib/session";

// POST /api/admin/matches/:id/settle: 202 {jobId}; the match becomes SETTLED when the payout job ends.
export const POST = route<{ id: string }>(async (_request, params) => {
  const staff = await requireUser("staff");
  const { id } = parseInput(matchParamsSchema, params);
  return NextResponse.json(await requestSettlement(getDb(), getMatchLifecycleQueue(), staff, id), { status: 202 });
});
