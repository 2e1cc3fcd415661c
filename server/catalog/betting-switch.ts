import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { platformSettings } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/credentials.shared";
import { recordAudit } from "@/server/audit/record-audit";
import { plainText } from "@/server/fields.shared";
import { enqueueOutbox } from "@/server/outbox/enqueue";
import type { Deps } from "@/server/deps";
import type { DbOrTx } from "@/server/platform/db";
import { catalogEvents } from "./events";
import { applyBettingLiveState, putInEffect } from "./live-state";

// The reason is for the audit log only (who stopped betting, and why); the switch itself is the boolean.
export const bettingSwitchSchema = z.object({ suspended: z.boolean(), reason: plainText(200, "The reason").optional() });

const KEY = "betting";
const stateSchema = z.object({ suspended: z.boolean(), version: z.number().int() });
export type BettingState = z.infer<typeof stateSchema>;

export async function getBettingState(db: DbOrTx): Promise<BettingState> {
  const [row] = await db.select().from(platformSettings).where(eq(platformSettings.key, KEY));
  return row ? stateSchema.parse(row.value) : { suspended: false, version: 0 };
}

/** The global kill switch: stored in PostgreSQL, in effect in every partition from the reply on (see putInEffect). */
export async function setBettingSuspended(
  deps: Pick<Deps, "db" | "redis" | "partitions">,
  { actor, suspended, reason }: { actor: SessionUser } & z.output<typeof bettingSwitchSchema>,
) {
  const state = await deps.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('platform_settings:betting'))`);
    const before = await getBettingState(tx);
    const after = { suspended, version: before.version + 1 };
    await tx
      .insert(platformSettings)
      .values({ key: KEY, value: after, updatedBy: actor.id })
      .onConflictDoUpdate({ target: platformSettings.key, set: { value: after, updatedBy: actor.id, updatedAt: sql`now()` } });
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: suspended ? "betting.suspend" : "betting.resume",
      entityType: "betting",
      entityId: KEY,
      before,
      after: reason ? { ...after, reason } : after,
    });
    await enqueueOutbox(tx, catalogEvents.bettingSwitched, KEY, after);
    return after;
  });
  return { ...state, inEffect: await putInEffect(() => applyBettingLiveState(deps, state)) };
}
