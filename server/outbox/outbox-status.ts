import { and, asc, count, isNotNull, isNull, sql } from "drizzle-orm";
import { outbox } from "@/drizzle/schema";
import type { Deps } from "@/server/deps";

/** What the back office and the metrics show: how far behind the relay is, and what it gave up on. */
export async function getOutboxStatus({ db }: Pick<Deps, "db">) {
  const [[pending], [parkedTotal], parked] = await Promise.all([
    db
      .select({ total: count(), lagSeconds: sql<string | null>`extract(epoch from now() - min(${outbox.createdAt}))` })
      .from(outbox)
      .where(and(isNull(outbox.publishedAt), isNull(outbox.parkedAt))),
    db.select({ total: count() }).from(outbox).where(isNotNull(outbox.parkedAt)),
    db
      .select({
        id: outbox.id,
        topic: outbox.topic,
        aggregateId: outbox.aggregateId,
        attempts: outbox.attempts,
        lastError: outbox.lastError,
        parkedAt: outbox.parkedAt,
      })
      .from(outbox)
      .where(isNotNull(outbox.parkedAt))
      .orderBy(asc(outbox.id))
      .limit(50),
  ]);
  return { pending: pending?.total ?? 0, lagSeconds: Number(pending?.lagSeconds ?? 0), parkedTotal: parkedTotal?.total ?? 0, parked };
}
