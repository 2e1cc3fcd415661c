import { NextResponse } from "next/server";
import { getBet, listBets } from "@/server/betting/list-bets";
import { placeBet } from "@/server/betting/place-bet";
import { listBetsSchema, placeBetSchemaFor } from "@/server/betting/bets.shared";
import { webDeps } from "@/server/deps";
import { parseInput } from "@/server/validation";
import { readJson, route } from "@/app/lib/handler";
import { requireUser } from "@/app/lib/session";

// POST /api/bets: 201 accepted and durable; 200 the same idempotency key and body again.
export const POST = route(async (request) => {
  const user = await requireUser("bettor");
  const body = await readJson(request);
  const input = parseInput(placeBetSchemaFor(body), body);
  const { bet, isReplay } = await placeBet(webDeps(), { userId: user.id, bet: input });
  if (!isReplay) return NextResponse.json({ bet }, { status: 201 });
  // A replay shows the bet as it is now (it may be RECORDED or settled by then).
  const current = await getBet(webDeps(), { userId: user.id, betId: bet.id }).catch(() => bet);
  return NextResponse.json({ bet: current }, { status: 200 });
});

// GET /api/bets?status=&limit=&cursor=: own bets, newest first.
export const GET = route(async (request) => {
  const user = await requireUser("bettor");
  const query = parseInput(listBetsSchema, Object.fromEntries(request.nextUrl.searchParams));
  return NextResponse.json(await listBets(webDeps(), { userId: user.id, ...query }));
});
