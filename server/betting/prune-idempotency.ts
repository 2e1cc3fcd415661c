import { and, asc, eq, gt, isNull, lt } from "drizzle-orm";
import { bets, settlements } from "@/drizzle/schema";
import type { Deps } from "@/server/deps";
import { logKeys } from "@/server/platform/redis-keys";

const CHUNK = 5_000;

/**
 * Drops the Redis idempotency records of the bets of matches settled before `settledBefore`, so Redis does not
 * grow with every bet ever placed. Safe once a match is closed: a replay of such a key finds no record and is
 * refused MATCH_CLOSED by the acceptance script, so nothing new reaches the log (and PostgreSQL's unique
 * (user, key) is never hit). The retention gives clients retrying an old request its 200 replay for a while.
 * A crash half-way only repeats HDELs on the next run: the match is marked pruned last.
 */
export async function pruneIdempotencyRecords(
  { db, redis }: Pick<Deps, "db" | "redis">,
  { settledBefore }: { settledBefore: Date },
): Promise<{ matches: number; records: number }> {
  const due = await db
    .select({ matchId: settlements.matchId })
    .from(settlements)
    .where(and(isNull(settlements.idempotencyPrunedAt), lt(settlements.settledAt, settledBefore)))
    .orderBy(asc(settlements.settledAt));
  let records = 0;
  for (const { matchId } of due) {
    for (let after = ""; ;) {
      const chunk = await db
        .select({ id: bets.id, userId: bets.userId, partition: bets.partition, key: bets.idempotencyKey })
        .from(bets)
        .where(and(eq(bets.matchId, matchId), after ? gt(bets.id, after) : undefined))
        .orderBy(asc(bets.id))
        .limit(CHUNK);
      if (chunk.length === 0) break;
      // One command per key, sent together by auto-pipelining (per node on a Cluster: the keys span partitions).
      const removed = await Promise.all(chunk.map((bet) => redis.hdel(logKeys.idempotency(bet.partition, bet.userId), bet.key)));
      records += removed.reduce((sum, n) => sum + n, 0);
      after = chunk.at(-1)!.id;
    }
    await db.update(settlements).set({ idempotencyPrunedAt: new Date() }).where(eq(settlements.matchId, matchId));
  }
  return { matches: due.length, records };
}
