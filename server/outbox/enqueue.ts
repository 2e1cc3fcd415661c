import { sql } from "drizzle-orm";
import { outbox } from "@/drizzle/schema";
import type { DbOrTx } from "@/server/platform/db";
import { outboxEvents, type OutboxEventName, type OutboxPayload } from "./events";

export const OUTBOX_CHANNEL = "outbox";

/**
 * Appends an event in the caller's transaction. NOTIFY is transactional too: the relay is woken only when the
 * change commits, and never for a change that rolled back.
 */
export async function enqueueOutbox<E extends OutboxEventName>(tx: DbOrTx, event: E, aggregateId: string, payload: OutboxPayload<E>) {
  const { topic } = outboxEvents[event];
  await tx.insert(outbox).values({ topic, aggregateType: topic.split(".")[0]!, aggregateId, payload });
  await tx.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, '')`);
}
