import { NextResponse } from "next/server";
import { z } from "zod";
import { getBet } from "@/server/betting/list-bets";
import { getConfig } from "@/server/config";
import { uuidOf } from "@/server/fields";
import { getDb } from "@/server/platform/db";
import { getRedis } from "@/server/platform/redis";
import { parseInput } from "@/server/validation";
import { route } from "@/app/lib/handler";
import { requireUser } from "@/app/lib/session";

// GET /api/bets/:id: one of the caller's own bets; anyone else's is 404.
export const GET = route<{ id: string }>(async (_request, params) => {
  const user = await requireUser("bettor");
  const { id } = parseInput(z.object({ id: uuidOf("a bet id") }), params);
  return NextResponse.json(await getBet(getDb(), getRedis(), getConfig().WRITE_BEHIND_PARTITIONS, user.id, id));
});
