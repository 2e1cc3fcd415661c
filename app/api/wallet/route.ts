import { NextResponse } from "next/server";
import { getConfig } from "@/server/config";
import { getDb } from "@/server/platform/db";
import { getRedis } from "@/server/platform/redis";
import { getWallet } from "@/server/wallet/get-wallet";
import { route } from "@/app/lib/handler";
import { requireUser } from "@/app/lib/session";

// GET /api/wallet
export const GET = route(async () => {
  const user = await requireUser("bettor");
  return NextResponse.json(await getWallet(getDb(), getRedis(), getConfig().WRITE_BEHIND_PARTITIONS, user.id));
});
