import { NextResponse } from "next/server";
import { getMatch } from "@/server/catalog/get-match";
import { webDeps } from "@/server/deps";
import { matchLiability } from "@/server/risk/liability";
import { route } from "@/app/lib/handler";
import { catalogReader } from "@/app/lib/catalog";
import { requireUser } from "@/app/lib/session";

// GET /api/admin/matches/:id/liability: live, from every partition's counters (bets not yet in PostgreSQL included).
export const GET = route<{ id: string }>(async (_request, params) => {
  await requireUser("staff");
  const match = await getMatch(await catalogReader(), params);
  return NextResponse.json(await matchLiability(webDeps(), match));
});
