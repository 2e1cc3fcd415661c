import { NextResponse } from "next/server";
import { listAudit, listAuditSchema } from "@/server/audit/list-audit";
import { webDeps } from "@/server/deps";
import { parseInput } from "@/server/validation";
import { route } from "@/app/lib/handler";
import { requireUser } from "@/app/lib/session";

// GET /api/admin/audit?limit=&cursor=&action=&entityId=: newest first, paged like GET /api/bets.
export const GET = route(async (request) => {
  await requireUser("staff");
  const query = parseInput(listAuditSchema, Object.fromEntries(request.nextUrl.searchParams));
  return NextResponse.json(await listAudit(webDeps(), query));
});
