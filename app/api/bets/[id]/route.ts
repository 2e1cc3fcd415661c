import { NextResponse } from "next/server";
import { getBet } from "@/server/betting/list-bets";
import { betParamsSchema } from "@/server/betting/bets.shared";
import { webDeps } from "@/server/deps";
import { parseInput } from "@/server/validation";
import { route } from "@/app/lib/handler";
import { requireUser } from "@/app/lib/session";

// GET /api/bets/:id: one of the caller's own bets; anyone else's is 404.
export const GET = route<{ id: string }>(async (_request, params) => {
  const user = await requireUser("bettor");
  const { id } = parseInput(betParamsSchema, params);
  return NextResponse.json(await getBet(webDeps(), { userId: user.id, betId: id }));
});
