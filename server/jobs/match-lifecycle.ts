import { Queue, type ConnectionOptions } from "bullmq";
import { z } from "zod";
import { getConfig } from "@/server/config";
import { connectRedis } from "@/server/platform/redis";
import { jobQueuePrefix } from "@/server/platform/redis-keys";
import { singleton } from "@/server/platform/singleton";

/**
 * The contracts of the jobs that move a match through its lifecycle (closing at kick-off, the payout): queue,
 * names, payloads, ids. The use cases and the runner live in server/lifecycle/lifecycle-jobs.ts.
 */
export const matchLifecycleQueueName = "match-lifecycle";

export const matchLifecycleJobs = {
  // Repeated every minute: catches a kick-off job the web process could not schedule (Redis briefly down).
  scheduleClosesAtKickOff: { name: "match.schedule-closes-at-kick-off", payload: z.object({}).strict() },
  closeAtKickOff: {
    name: "match.close-at-kick-off",
    payload: z.object({ matchId: z.uuid(), startsAt: z.iso.datetime({ offset: true }) }).strict(),
  },
  settle: { name: "match.settle", payload: z.object({ matchId: z.uuid(), requestedBy: z.uuid().nullable() }).strict() },
} as const;

// One payout job per match: a second press while it waits or runs gets the same job; a failed one is retried.
export const settlementJobId = (matchId: string) => `settle-${matchId}`;

export function createMatchLifecycleQueue(connection: ConnectionOptions) {
  return new Queue(matchLifecycleQueueName, {
    connection,
    prefix: jobQueuePrefix,
    defaultJobOptions: {
      attempts: 5,
      backoff: { type: "exponential", delay: 2_000 },
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 1000 },
    },
  });
}

/** The web process's queue, on a connection of its own (BullMQ defines its scripts on the connection it uses). */
export function getMatchLifecycleQueue(): Queue {
  return singleton("match-lifecycle-queue", () => createMatchLifecycleQueue(connectRedis(getConfig())));
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

/** Idempotent: every worker start upserts the same schedule, whose first run schedules every open match's close. */
export async function scheduleMatchLifecycle(queue: Queue): Promise<void> {
  await queue.upsertJobScheduler(
    "schedule-closes-at-kick-off",
    { every: 60_000 },
    { name: matchLifecycleJobs.scheduleClosesAtKickOff.name, data: {} },
  );
}

type SettlementJobView = {
  id: string;
  state: string;
  attemptsMade: number;
  processedBy: string | null;
  failedReason: string | null;
  outcome: unknown;
};

/** The payout job of a match, as the back office shows it (null before the first press, or once pruned). */
export async function settlementJob(queue: Queue, matchId: string): Promise<SettlementJobView | null> {
  // The state first, then the job: completion writes the outcome and the state in one step, so a job read after
  // its state says "completed" has its outcome. Read the other way round, a job that ended in between showed
  // "completed" with no outcome, and the page, seeing nothing running, stopped following it.
  const state = await queue.getJobState(settlementJobId(matchId));
  const job = await queue.getJob(settlementJobId(matchId));
  if (!job || state === "unknown") return null;
  return {
    id: job.id!,
    state,
    attemptsMade: job.attemptsMade,
    processedBy: job.processedBy ?? null,
    failedReason: job.failedReason ?? null,
    outcome: job.returnvalue ?? null,
  };
}
