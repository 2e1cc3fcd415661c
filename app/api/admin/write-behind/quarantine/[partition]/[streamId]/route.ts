import { NextResponse } from "next/server";
import { quarantineParamsSchema, resolveQuarantinedEntry, resolveQuarantineSchema } from "@/server/betting/quarantine";
import { webDeps } from "@/server/deps";
import { parseInput } from "@/server/validation";
import { readJson, route } from "@/app/lib/handler";
import { requireUser } from "@/app/lib/session";

// POST /api/admin/write-behind/quarantine/:partition/:streamId {action: "record" | "refund"}
export const POST = route<{ partition: string; streamId: string }>(async (request, params) => {
  const staff = await requireUser("staff");
  const key = parseInput(quarantineParamsSchema, params);
  const input = parseInput(resolveQuarantineSchema, await readJson(request));
  const entry = await resolveQuarantinedEntry(webDeps(), { actor: staff, ...key, ...input });
  return NextResponse.json({ entry });
});
