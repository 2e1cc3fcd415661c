import { NextResponse } from "next/server";
import { webDeps } from "@/server/deps";
import { parseInput } from "@/server/validation";
import { getWallet } from "@/server/wallet/get-wallet";
import { withdraw } from "@/server/wallet/withdrawals";
import { withdrawalSchema } from "@/server/wallet/withdrawals.shared";
import { readJson, route } from "@/app/lib/handler";
import { requireUser } from "@/app/lib/session";

// POST /api/wallet/withdrawals: 201 once per idempotency key, 200 for a replay.
export const POST = route(async (request) => {
  const user = await requireUser("bettor");
  const input = parseInput(withdrawalSchema, await readJson(request));
  const { withdrawal, isReplay } = await withdraw(webDeps(), { userId: user.id, ...input });
  const wallet = await getWallet(webDeps(), { userId: user.id });
  return NextResponse.json({ withdrawal, wallet }, { status: isReplay ? 200 : 201 });
});
