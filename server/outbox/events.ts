import type { z } from "zod";

/**
 * An outbox event's contract: its topic and its payload's zod schema. Each domain defines its own events (the
 * writer enqueues them in its transaction, its relay handler reads them back); the outbox knows none of them.
 */
export type OutboxEvent<S extends z.ZodType = z.ZodType> = { topic: string; payload: S };

export function defineOutboxEvent<S extends z.ZodType>(topic: string, payload: S): OutboxEvent<S> {
  return { topic, payload };
}

export type OutboxPayload<E extends OutboxEvent> = z.infer<E["payload"]>;

/** What a domain registers with the relay for one of its events. */
export type OutboxHandler = {
  event: OutboxEvent;
  /** Puts the event in effect (e.g. in Redis); may publish a notification through the fenced `publish`. */
  apply(payload: unknown, context: { committedAt: number; publish(channel: string, message: unknown): Promise<void> }): Promise<void>;
  /**
   * Events of a topic that commute (each applies once, in any order, e.g. wallet credits) are applied a run at
   * a time, so their Redis scripts pipeline and share an AOF fsync.
   */
  commutes?: boolean;
};
