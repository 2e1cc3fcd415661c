import { NextResponse } from "next/server";
import { webDeps } from "@/server/deps";
import { parseInput } from "@/server/validation";
import { getWallet } from "@/server/wallet/get-wallet";
import { recordDeposit } from "@/server/wallet/record-deposit";
import { depositSchema } from "@/server/wallet/deposits.shared";
import { readJson, route } from "@/app/lib/handler";
import { requireUser } from "@/app/lib/session";

// POST /api/wallet/deposits (simulated payment): 201 once per idempotency key, 200 for a replay.
export const POST = route(async (request) => {
  const user = await requireUser("bettor");
  const input = parseInput(depositSchema, await readJson(request));
  const { deposit, isReplay } = await recordDeposit(webDeps(), { userId: user.id, ...input });
  const wallet = await getWallet(webDeps(), { userId: user.id });
  return NextResponse.json({ deposit: { id: deposit.id, amount: deposit.amount }, wallet }, { status: isReplay ? 200 : 201 });
});
