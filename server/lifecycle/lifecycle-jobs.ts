import type { Job, Queue } from "bullmq";
import { eq, inArray } from "drizzle-orm";
import type { Redis } from "ioredis";
import { matches } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/schemas";
import { AppError } from "@/server/errors";
import { getMatchLifecycleQueue, matchLifecycleJobs, scheduleCloseAtKickOff, settlementJobId } from "@/server/jobs/match-lifecycle";
import type { Database } from "@/server/platform/db";
import { logger } from "@/server/platform/logger";
import { closeMatch } from "./close-match";
import { settleMatch, settlementRefusal } from "./settle-match";

// The lifecycle's job use cases and their runner; the job contracts are in server/jobs/match-lifecycle.ts.

/**
 * After a match is created or moved (committed): schedule its close now. Failing here must not turn the committed
 * change into an error; the minutely scheduleClosesAtKickOff job catches up.
 */
export async function scheduleCloseAfterCommit(match: { id: string; startsAt: string }): Promise<void> {
  await scheduleCloseAtKickOff(getMatchLifecycleQueue(), match).catch((error: unknown) =>
    logger.error({ err: error, matchId: match.id }, "could not schedule the close at kick-off; the minutely job will"),
  );
}

/** Every match still taking bets gets its kick-off job. */
async function scheduleAllClosesAtKickOff(db: Database, queue: Queue): Promise<number> {
  const open = await db.select({ id: matches.id, startsAt: matches.startsAt }).from(matches).where(inArray(matches.status, ["SCHEDULED", "OPEN", "SUSPENDED"]));
  for (const match of open) await scheduleCloseAtKickOff(queue, match);
  return open.length;
}

/** Staff pressed "settle": refuse what cannot be paid now (409s), else queue the payout and return its job id. */
export async function requestSettlement(db: Database, queue: Queue, actor: SessionUser, matchId: string): Promise<{ jobId: string }> {
  const refusal = await settlementRefusal(db, matchId);
  if (refusal) throw refusal;
  const jobId = settlementJobId(matchId);
  const existing = await queue.getJob(jobId);
  if (existing && (await existing.getState()) === "failed") await existing.retry();
  // A no-op when the job already exists (waiting, active, or completed by a run that found the match settled).
  else await queue.add(matchLifecycleJobs.settle.name, { matchId, requestedBy: actor.id }, { jobId });
  return { jobId };
}

type MatchLifecycleDeps = { db: Database; redis: Redis; partitions: number; queue: Queue };

export async function runMatchLifecycleJob({ db, redis, partitions, queue }: MatchLifecycleDeps, job: Pick<Job, "name" | "data" | "id">) {
  switch (job.name) {
    case matchLifecycleJobs.scheduleClosesAtKickOff.name: {
      matchLifecycleJobs.scheduleClosesAtKickOff.payload.parse(job.data);
      return { scheduled: await scheduleAllClosesAtKickOff(db, queue) };
    }
    case matchLifecycleJobs.closeAtKickOff.name: {
      const { matchId, startsAt } = matchLifecycleJobs.closeAtKickOff.payload.parse(job.data);
      const [match] = await db.select({ status: matches.status, startsAt: matches.startsAt }).from(matches).where(eq(matches.id, matchId));
      if (!match || match.status === "CLOSED") return { closed: false, reason: "already closed" };
      if (match.startsAt.getTime() !== Date.parse(startsAt)) return { closed: false, reason: "kick-off moved" };
      try {
        const { inEffect } = await closeMatch(db, redis, partitions, null, matchId);
        // Committed: the relay puts it in effect from the outbox. Retrying the job could not do more.
        if (!inEffect) logger.warn({ jobId: job.id, matchId }, "closed at kick-off, but Redis could not be reached: the relay will apply the close");
      } catch (error) {
        // Staff closed it a moment before: the outcome the job wanted.
        if (error instanceof AppError && error.code === "INVALID_STATE") return { closed: false, reason: "already closed" };
        throw error;
      }
      logger.info({ jobId: job.id, matchId }, "closed betting at kick-off");
      return { closed: true };
    }
    case matchLifecycleJobs.settle.name: {
      const { matchId, requestedBy } = matchLifecycleJobs.settle.payload.parse(job.data);
      const outcome = await settleMatch(db, matchId, requestedBy);
      logger.info({ jobId: job.id, ...outcome }, outcome.alreadySettled ? "match was already settled" : "settled match");
      return outcome;
    }
    default:
      throw new Error(`unknown match lifecycle job "${job.name}"`);
  }
}
