import { Queue, type ConnectionOptions, type Job } from "bullmq";
import { eq, inArray } from "drizzle-orm";
import type { Redis } from "ioredis";
import { z } from "zod";
import { matches } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/schemas";
import { closeMatch } from "@/server/catalog/close-match";
import { AppError } from "@/server/errors";
import { getConfig } from "@/server/config";
import type { Database } from "@/server/platform/db";
import { logger } from "@/server/platform/logger";
import { createRedis } from "@/server/platform/redis";
import { settleMatch, settlementRefusal } from "@/server/settlement/settle-match";

/** Jobs that move a match through its lifecycle: closing at kick-off and the payout. */
export const matchLifecycleQueueName = "match-lifecycle";

export const matchLifecycleJobs = {
  // Repeated every minute: catches a kick-off job the web process could not schedule (Redis briefly down).
  scheduleClosesAtKickOff: { name: "match.schedule-closes-at-kick-off", payload: z.object({}).strict() },
  closeAtKickOff: { name: "match.close-at-kick-off", payload: z.object({ matchId: z.uuid(), startsAt: z.iso.datetime({ offset: true }) }).strict() },
  settle: { name: "match.settle", payload: z.object({ matchId: z.uuid(), requestedBy: z.uuid().nullable() }).strict() },
} as const;

// One payout job per match: a second press while it waits or runs gets the same job; a failed one is retried.
const settlementJobId = (matchId: string) => `settle-${matchId}`;

export function createMatchLifecycleQueue(connection: ConnectionOptions) {
  return new Queue(matchLifecycleQueueName, {
    connection,
    defaultJobOptions: { attempts: 5, backoff: { type: "exponential", delay: 2_000 }, removeOnComplete: { count: 1000 }, removeOnFail: { count: 1000 } },
  });
}

const globalForQueue = globalThis as unknown as { bookmakerLifecycleQueue?: Queue };

/** The web process's queue, on a connection of its own (BullMQ defines its scripts on the connection it uses). */
export function getMatchLifecycleQueue(): Queue {
  globalForQueue.bookmakerLifecycleQueue ??= createMatchLifecycleQueue(createRedis(getConfig().REDIS_URL));
  return globalForQueue.bookmakerLifecycleQueue;
}

/**
 * Schedules the close at kick-off. The job id names the kick-off time, so scheduling again is a no-op, and a
 * match moved to another time gets a new job while the old one finds the time changed and does nothing.
 */
export async function scheduleCloseAtKickOff(queue: Queue, match: { id: string; startsAt: string | Date }): Promise<void> {
  const startsAt = new Date(match.startsAt);
  await queue.add(
    matchLifecycleJobs.closeAtKickOff.name,
    { matchId: match.id, startsAt: startsAt.toISOString() },
    { jobId: `close-${match.id}-${startsAt.getTime()}`, delay: Math.max(0, startsAt.getTime() - Date.now()) },
  );
}

/**
 * After a match is created or moved (committed): schedule its close now. Failing here must not turn the committed
 * change into an error; the minutely scheduleClosesAtKickOff job catches up.
 */
export async function scheduleCloseAfterCommit(match: { id: string; startsAt: string }): Promise<void> {
  await scheduleCloseAtKickOff(getMatchLifecycleQueue(), match).catch((error: unknown) =>
    logger.error({ err: error, matchId: match.id }, "could not schedule the close at kick-off; the minutely job will"),
  );
}

/** Idempotent: every worker start upserts the same schedule, whose first run schedules every open match's close. */
export async function scheduleMatchLifecycle(queue: Queue): Promise<void> {
  await queue.upsertJobScheduler("schedule-closes-at-kick-off", { every: 60_000 }, { name: matchLifecycleJobs.scheduleClosesAtKickOff.name, data: {} });
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

type SettlementJobView = { id: string; state: string; attemptsMade: number; processedBy: string | null; failedReason: string | null; outcome: unknown };

/** The payout job of a match, as the back office shows it (null before the first press, or once pruned). */
export async function settlementJob(queue: Queue, matchId: string): Promise<SettlementJobView | null> {
  const job = await queue.getJob(settlementJobId(matchId));
  if (!job) return null;
  return { id: job.id!, state: await job.getState(), attemptsMade: job.attemptsMade, processedBy: job.processedBy ?? null, failedReason: job.failedReason ?? null, outcome: job.returnvalue ?? null };
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
