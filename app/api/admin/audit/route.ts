import { NextResponse } from "next/server";
import { listAudit } from "@/server/audit/list-audit";
import { getDb } from "@/server/platform/db";
import { route } from "@/app/lib/handler";
import { requireUser } from "@/app/lib/session";

// GET /api/admin/audit
export const GET = route(async () => {
  await requireUser("staff");
  return NextResponse.json({ entries: await listAudit(getDb()) });
});
