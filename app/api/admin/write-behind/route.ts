import { NextResponse } from "next/server";
import { listQuarantine } from "@/server/betting/quarantine";
import { getWriteBehindStatus } from "@/server/betting/write-behind-status";
import { webDeps } from "@/server/deps";
import { route } from "@/app/lib/handler";
import { requireUser } from "@/app/lib/session";

// GET /api/admin/write-behind: the partitions, and the quarantined entries (unresolved first)
export const GET = route(async () => {
  await requireUser("staff");
  const [partitions, quarantine] = await Promise.all([getWriteBehindStatus(webDeps()), listQuarantine(webDeps())]);
  return NextResponse.json({ partitions, quarantine });
});
