import { and, desc, eq, lt } from "drizzle-orm";
import { z } from "zod";
import { auditLog, users } from "@/drizzle/schema";
import { plainText } from "@/server/fields.shared";
import type { Deps } from "@/server/deps";
import { decodeIdCursor, encodeIdCursor } from "@/server/platform/id-cursor";

export type AuditEntryDto = {
  id: string;
  at: string;
  actor: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
};

// GET /api/admin/audit's query, also the back-office page's. 100 by default, the size of the list before paging.
export const listAuditSchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(100),
  cursor: z.string().max(200).optional(),
  action: plainText(100, "The action").optional(),
  entityId: plainText(200, "The entity id").optional(),
});

export type ListAuditQuery = z.output<typeof listAuditSchema>;

/** Newest first: who did what, when, with the state before and after; `nextCursor` is null on the last page. */
export async function listAudit(
  { db }: Pick<Deps, "db">,
  query: ListAuditQuery,
): Promise<{ entries: AuditEntryDto[]; nextCursor: string | null }> {
  const conditions = [
    query.cursor ? lt(auditLog.id, decodeIdCursor(query.cursor)) : undefined,
    query.action ? eq(auditLog.action, query.action) : undefined,
    query.entityId ? eq(auditLog.entityId, query.entityId) : undefined,
  ];
  const rows = await db
    .select({ entry: auditLog, actor: users.email })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(and(...conditions))
    .orderBy(desc(auditLog.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const entries = page.map(({ entry, actor }) => ({
    id: String(entry.id),
    at: entry.createdAt.toISOString(),
    actor,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: entry.before,
    after: entry.after,
  }));
  return { entries, nextCursor: rows.length > query.limit ? encodeIdCursor(page.at(-1)!.entry.id) : null };
}
