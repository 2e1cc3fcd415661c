import { NextResponse } from "next/server";
import { webDeps } from "@/server/deps";
import { getWallet } from "@/server/wallet/get-wallet";
import { route } from "@/app/lib/handler";
import { requireUser } from "@/app/lib/session";

// GET /api/wallet
export const GET = route(async () => {
  const user = await requireUser("bettor");
  return NextResponse.json(await getWallet(webDeps(), { userId: user.id }));
});
