import { sql } from "drizzle-orm";
import { outbox } from "@/drizzle/schema";
import type { DbOrTx } from "@/server/platform/db";
import type { OutboxEvent, OutboxPayload } from "./events";

export const OUTBOX_CHANNEL = "outbox";

/**
 * Appends an event in the caller's transaction. NOTIFY is transactional too: the relay is woken only when the
 * change commits, and never for a change that rolled back.
 */
export async function enqueueOutbox<E extends OutboxEvent>(tx: DbOrTx, event: E, aggregateId: string, payload: OutboxPayload<E>) {
  await tx
    .insert(outbox)
    .values({ topic: event.topic, aggregateType: event.topic.split(".")[0]!, aggregateId, payload: event.payload.parse(payload) });
  await tx.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, '')`);
}
