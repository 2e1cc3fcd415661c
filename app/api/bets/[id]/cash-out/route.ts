import { NextResponse } from "next/server";
import { betParamsSchema, cashOutSchema } from "@/server/betting/bets.shared";
import { cashOutBet } from "@/server/betting/cash-out";
import { getBet } from "@/server/betting/list-bets";
import { webDeps } from "@/server/deps";
import { parseInput } from "@/server/validation";
import { readJson, route } from "@/app/lib/handler";
import { requireUser } from "@/app/lib/session";

// POST /api/bets/:id/cash-out {amount, idempotencyKey}: 200 the bet CASHED_OUT; another user's bet is 404.
export const POST = route<{ id: string }>(async (request, params) => {
  const user = await requireUser("bettor");
  const { id } = parseInput(betParamsSchema, params);
  const input = parseInput(cashOutSchema, await readJson(request));
  const deps = webDeps();
  const current = () => getBet(deps, { userId: user.id, betId: id });
  const bet = await cashOutBet(deps, { userId: user.id, bet: await current(), ...input, current });
  return NextResponse.json({ bet });
});
