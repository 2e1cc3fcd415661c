import { auditLog } from "@/drizzle/schema";
import type { DbOrTx } from "@/server/platform/db";

export type AuditInput = {
  actorUserId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
};

/** Written in the transaction of the change it describes, so an action and its audit row commit together. */
export async function recordAudit(tx: DbOrTx, entry: AuditInput): Promise<void> {
  await tx.insert(auditLog).values({ ...entry, before: entry.before ?? null, after: entry.after ?? null });
}
