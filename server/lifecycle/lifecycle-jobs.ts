import { clearLiability } from "@/server/risk/liability";
import type { Job } from "bullmq";
import { eq, inArray } from "drizzle-orm";
import { matches } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/credentials.shared";
import { AppError } from "@/server/errors";
import type { Deps } from "@/server/deps";
import { matchLifecycleJobs, scheduleCloseAtKickOff, settlementJobId } from "@/server/jobs/match-lifecycle";
import { logger } from "@/server/platform/logger";
import { closeMatch } from "./close-match";
import { settleMatch, settlementRefusal } from "./settle-match";

// The lifecycle's job use cases and their runner; the job contracts are in server/jobs/match-lifecycle.ts.

/** Every match still taking bets gets its kick-off job. */
async function scheduleAllClosesAtKickOff({ db, lifecycleQueue }: Pick<Deps, "db" | "lifecycleQueue">): Promise<number> {
  const open = await db
    .select({ id: matches.id, startsAt: matches.startsAt })
    .from(matches)
    .where(inArray(matches.status, ["SCHEDULED", "OPEN", "SUSPENDED"]));
  for (const match of open) await scheduleCloseAtKickOff(lifecycleQueue, match);
  return open.length;
}

/** Staff pressed "settle": refuse what cannot be paid now (409s), else queue the payout and return its job id. */
export async function requestSettlement(
  deps: Pick<Deps, "db" | "lifecycleQueue">,
  { actor, matchId }: { actor: SessionUser; matchId: string },
): Promise<{ jobId: string }> {
  const refusal = await settlementRefusal(deps, { matchId });
  if (refusal) throw refusal;
  const queue = deps.lifecycleQueue;
  const jobId = settlementJobId(matchId);
  const existing = await queue.getJob(jobId);
  if (existing && (await existing.getState()) === "failed") await existing.retry();
  // A no-op when the job already exists (waiting, active, or completed by a run that found the match settled).
  else await queue.add(matchLifecycleJobs.settle.name, { matchId, requestedBy: actor.id }, { jobId });
  return { jobId };
}

export async function runMatchLifecycleJob(
  deps: Pick<Deps, "db" | "redis" | "partitions" | "lifecycleQueue">,
  job: Pick<Job, "name" | "data" | "id">,
) {
  switch (job.name) {
    case matchLifecycleJobs.scheduleClosesAtKickOff.name: {
      matchLifecycleJobs.scheduleClosesAtKickOff.payload.parse(job.data);
      return { scheduled: await scheduleAllClosesAtKickOff(deps) };
    }
    case matchLifecycleJobs.closeAtKickOff.name: {
      const { matchId, startsAt } = matchLifecycleJobs.closeAtKickOff.payload.parse(job.data);
      const [match] = await deps.db
        .select({ status: matches.status, startsAt: matches.startsAt })
        .from(matches)
        .where(eq(matches.id, matchId));
      if (!match || match.status === "CLOSED") return { closed: false, reason: "already closed" };
      if (match.startsAt.getTime() !== Date.parse(startsAt)) return { closed: false, reason: "kick-off moved" };
      try {
        const { inEffect } = await closeMatch(deps, { actor: null, matchId });
        // Committed: the relay puts it in effect from the outbox. Retrying the job could not do more.
        if (!inEffect)
          logger.warn({ jobId: job.id, matchId }, "closed at kick-off, but Redis could not be reached: the relay will apply the close");
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
      const outcome = await settleMatch(deps, { matchId, actorUserId: requestedBy });
      // Every bet of the match is decided: nothing of it is at risk any more.
      await clearLiability(deps, { matchId });
      logger.info({ jobId: job.id, ...outcome }, outcome.alreadySettled ? "match was already settled" : "settled match");
      return outcome;
    }
    default:
      throw new Error(`unknown match lifecycle job "${job.name}"`);
  }
}
