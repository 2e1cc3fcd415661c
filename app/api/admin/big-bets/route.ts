import { NextResponse } from "next/server";
import { webDeps } from "@/server/deps";
import { bigBetsQuerySchema, recentBigBets } from "@/server/risk/liability";
import { parseInput } from "@/server/validation";
import { route } from "@/app/lib/handler";
import { requireUser } from "@/app/lib/session";

// GET /api/admin/big-bets?limit=: the newest bets with a stake of at least BIG_BET_STAKE, live (an extension of API.md).
export const GET = route(async (request) => {
  await requireUser("staff");
  const query = parseInput(bigBetsQuerySchema, Object.fromEntries(request.nextUrl.searchParams));
  return NextResponse.json({ bets: await recentBigBets(webDeps(), query) });
});
