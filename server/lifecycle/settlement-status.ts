import { eq } from "drizzle-orm";
import { completionMarkers, matches, settlements } from "@/drizzle/schema";
import { AppError } from "@/server/errors";
import { settlementJob } from "@/server/jobs/match-lifecycle";
import type { Deps } from "@/server/deps";
import { allPartitions } from "@/server/platform/partitions";

/** What the back office shows under a closed match: each partition's marker, the payout record, the payout job. */
export async function getSettlementStatus(
  { db, lifecycleQueue, partitions }: Pick<Deps, "db" | "lifecycleQueue" | "partitions">,
  { matchId }: { matchId: string },
) {
  // The job first: it completes only after the payout committed, so a job seen as ended comes with the match as it
  // left it. Read the other way round, a job ending in between showed "completed" beside COMPLETE, and the page,
  // seeing no job running, stopped following it.
  const job = await settlementJob(lifecycleQueue, matchId);
  const [match] = await db
    .select({
      status: matches.status,
      settlementState: matches.settlementState,
      closedAt: matches.closedAt,
      completedAt: matches.completedAt,
      payoutStartedAt: matches.payoutStartedAt,
    })
    .from(matches)
    .where(eq(matches.id, matchId));
  if (!match) throw new AppError("NOT_FOUND", "No such match.");
  const applied = await db.select().from(completionMarkers).where(eq(completionMarkers.matchId, matchId));
  const [settlement] = await db.select().from(settlements).where(eq(settlements.matchId, matchId));
  return {
    ...match,
    markers: allPartitions(partitions).map((partition) => {
      const marker = applied.find((m) => m.partition === partition);
      return { partition, applied: Boolean(marker), streamId: marker?.streamId ?? null, appliedAt: marker?.appliedAt ?? null };
    }),
    settlement: settlement ?? null,
    job,
  };
}

export type SettlementStatus = Awaited<ReturnType<typeof getSettlementStatus>>;
