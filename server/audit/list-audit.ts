import { desc, eq } from "drizzle-orm";
import { auditLog, users } from "@/drizzle/schema";
import type { DbOrTx } from "@/server/platform/db";

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

/** Newest first: who did what, when, with the state before and after. */
export async function listAudit(db: DbOrTx, limit = 100): Promise<AuditEntryDto[]> {
  const rows = await db
    .select({ entry: auditLog, actor: users.email })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .orderBy(desc(auditLog.id))
    .limit(limit);
  return rows.map(({ entry, actor }) => ({
    id: String(entry.id),
    at: entry.createdAt.toISOString(),
    actor,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: entry.before,
    after: entry.after,
  }));
}
