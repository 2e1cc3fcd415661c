import { Queue, type ConnectionOptions, type Job } from "bullmq";
import { z } from "zod";
import { deleteExpiredSessions } from "@/server/auth/sessions";
import type { Database } from "@/server/platform/db";
import { logger } from "@/server/platform/logger";

/** Housekeeping jobs: a typed contract shared by the scheduler and the worker. */
export const maintenanceQueueName = "maintenance";

export const maintenanceJobs = {
  purgeExpiredSessions: { name: "sessions.purge-expired", payload: z.object({}).strict() },
} as const;

// Completed runs are only interesting for a recent look in a dashboard; failures are kept longer to investigate.
const retention = { removeOnComplete: { count: 50 }, removeOnFail: { count: 500 } };

export function createMaintenanceQueue(connection: ConnectionOptions) {
  return new Queue(maintenanceQueueName, { connection, defaultJobOptions: { attempts: 3, backoff: { type: "exponential", delay: 5_000 }, ...retention } });
}

/** Idempotent: the scheduler id is fixed, so every worker start upserts the same schedule. */
export async function scheduleMaintenance(queue: Queue): Promise<void> {
  await queue.upsertJobScheduler(
    "purge-expired-sessions",
    { every: 60 * 60 * 1000 },
    { name: maintenanceJobs.purgeExpiredSessions.name, data: {} },
  );
}

export async function runMaintenanceJob(db: Database, job: Pick<Job, "name" | "data" | "id">) {
  switch (job.name) {
    case maintenanceJobs.purgeExpiredSessions.name: {
      maintenanceJobs.purgeExpiredSessions.payload.parse(job.data);
      const deleted = await deleteExpiredSessions(db);
      logger.info({ jobId: job.id, deleted }, "purged expired sessions");
      return { deleted };
    }
    default:
      throw new Error(`unknown maintenance job "${job.name}"`);
  }
}
