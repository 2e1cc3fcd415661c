import { NextResponse } from "next/server";
import { webDeps } from "@/server/deps";
import { parseInput } from "@/server/validation";
import { getDepositLimits, setDepositLimits } from "@/server/wallet/deposit-limits";
import { setLimitsSchema } from "@/server/wallet/safer-gambling.shared";
import { readJson, route } from "@/app/lib/handler";
import { requireUser } from "@/app/lib/session";

// GET /api/wallet/limits: the deposit limits in force, what they have used, and any pending raise.
export const GET = route(async () => {
  const user = await requireUser("bettor");
  return NextResponse.json(await getDepositLimits(webDeps(), { userId: user.id }));
});

// PUT /api/wallet/limits: a lower limit applies at once, a higher one or a removal after 24 hours.
export const PUT = route(async (request) => {
  const user = await requireUser("bettor");
  const changes = parseInput(setLimitsSchema, await readJson(request));
  return NextResponse.json(await setDepositLimits(webDeps(), { userId: user.id, changes }));
});
