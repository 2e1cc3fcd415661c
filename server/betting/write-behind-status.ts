import { sql } from "drizzle-orm";
import type { Deps } from "@/server/deps";
import { allPartitions } from "@/server/platform/partitions";
import { streamIdTime } from "./write-behind-log";
import { logKeys } from "@/server/platform/redis-keys";

export type PartitionStatus = {
  id: number;
  depth: number;
  oldestAgeMs: number;
  lastFlushedId: string;
  flushedPerSec: number;
  flushedTotal: number;
  flusher: string | null;
  // Entries PostgreSQL refused, set aside and waiting for staff (their stakes stay reserved).
  quarantined: number;
};

/**
 * Per partition: entries still in the log, age of the oldest, the PostgreSQL cursor, the recent flush rate and
 * who holds the lease. Depth counts entries not yet acknowledged, so it can include a batch committed a moment ago.
 */
export async function getWriteBehindStatus({
  db,
  redis,
  partitions,
}: Pick<Deps, "db" | "redis" | "partitions">): Promise<PartitionStatus[]> {
  const cursors = await db.execute<{ partition: number; last_stream_id: string; flushed_count: string }>(
    sql`select partition, last_stream_id, flushed_count::text from write_behind_partitions`,
  );
  const byPartition = new Map(cursors.map((c) => [Number(c.partition), c]));
  const quarantined = new Map(
    (
      await db.execute<{ partition: number; entries: number }>(
        sql`select partition, count(*)::int as entries from quarantined_entries where resolution is null group by partition`,
      )
    ).map((q) => [Number(q.partition), Number(q.entries)]),
  );
  const now = Date.now();
  return Promise.all(
    allPartitions(partitions).map(async (p) => {
      const [depth, oldest, rate, flusher] = await Promise.all([
        redis.xlen(logKeys.stream(p)),
        redis.xrange(logKeys.stream(p), "-", "+", "COUNT", 1),
        redis.hget(logKeys.stats(p), "flushedPerSec"),
        redis.get(logKeys.lease(p)),
      ]);
      const oldestId = oldest[0]?.[0];
      const cursor = byPartition.get(p);
      return {
        id: p,
        depth,
        oldestAgeMs: oldestId ? Math.max(0, now - streamIdTime(oldestId).getTime()) : 0,
        lastFlushedId: cursor?.last_stream_id ?? "0-0",
        flushedPerSec: Number(rate ?? 0),
        flushedTotal: Number(cursor?.flushed_count ?? 0),
        flusher,
        quarantined: quarantined.get(p) ?? 0,
      };
    }),
  );
}
