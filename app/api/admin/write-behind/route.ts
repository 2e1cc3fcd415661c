import { NextResponse } from "next/server";
import { getWriteBehindStatus } from "@/server/betting/write-behind-status";
import { getConfig } from "@/server/config";
import { getDb } from "@/server/platform/db";
import { getRedis } from "@/server/platform/redis";
import { route } from "@/app/lib/handler";
import { requireUser } from "@/app/lib/session";

// GET /api/admin/write-behind
export const GET = route(async () => {
  await requireUser("staff");
  const partitions = await getWriteBehindStatus(getDb(), getRedis(), getConfig().WRITE_BEHIND_PARTITIONS);
  return NextResponse.json({ partitions });
});
