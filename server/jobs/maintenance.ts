import { Queue, type ConnectionOptions, type Job } from "bullmq";
import { z } from "zod";
import { deleteExpiredSessions } from "@/server/auth/sessions";
import { pruneIdempotencyRecords } from "@/server/betting/prune-idempotency";
import type { Deps } from "@/server/deps";
import { logger } from "@/server/platform/logger";
import { jobQueuePrefix } from "@/server/platform/redis-keys";
import { reconcileWallets } from "@/server/wallet/reconcile-wallets";
import { repairWithdrawals } from "@/server/wallet/withdrawals";

/** Housekeeping jobs: a typed contract shared by the scheduler and the worker. */
export const maintenanceQueueName = "maintenance";

export const maintenanceJobs = {
  purgeExpiredSessions: { name: "sessions.purge-expired", payload: z.object({}).strict() },
  reconcileWallets: { name: "wallets.reconcile", payload: z.object({}).strict() },
  pruneIdempotency: { name: "bets.prune-idempotency", payload: z.object({}).strict() },
  repairWithdrawals: { name: "wallets.repair-withdrawals", payload: z.object({}).strict() },
} as const;

// Completed runs are only interesting for a recent look in a dashboard; failures are kept longer to investigate.
const retention = { removeOnComplete: { count: 50 }, removeOnFail: { count: 500 } };

export function createMaintenanceQueue(connection: ConnectionOptions) {
  return new Queue(maintenanceQueueName, {
    connection,
    prefix: jobQueuePrefix,
    defaultJobOptions: { attempts: 3, backoff: { type: "exponential", delay: 5_000 }, ...retention },
  });
}

/** Idempotent: the scheduler id is fixed, so every worker start upserts the same schedule. */
export async function scheduleMaintenance(queue: Queue, { reconcileEverySeconds }: { reconcileEverySeconds: number }): Promise<void> {
  await queue.upsertJobScheduler(
    "reconcile-wallets",
    { every: reconcileEverySeconds * 1000 },
    { name: maintenanceJobs.reconcileWallets.name, data: {} },
  );
  // A withdrawal's reservation left by a web process that died is finished after a minute: as often as that.
  await queue.upsertJobScheduler("repair-withdrawals", { every: 60 * 1000 }, { name: maintenanceJobs.repairWithdrawals.name, data: {} });
  await queue.upsertJobScheduler("prune-idempotency", { every: 5 * 60 * 1000 }, { name: maintenanceJobs.pruneIdempotency.name, data: {} });
  await queue.upsertJobScheduler(
    "purge-expired-sessions",
    { every: 60 * 60 * 1000 },
    { name: maintenanceJobs.purgeExpiredSessions.name, data: {} },
  );
}

export async function runMaintenanceJob(
  deps: Pick<Deps, "db" | "redis" | "partitions" | "config">,
  job: Pick<Job, "name" | "data" | "id">,
) {
  switch (job.name) {
    case maintenanceJobs.purgeExpiredSessions.name: {
      maintenanceJobs.purgeExpiredSessions.payload.parse(job.data);
      const deleted = await deleteExpiredSessions(deps);
      logger.info({ jobId: job.id, deleted }, "purged expired sessions");
      return { deleted };
    }
    case maintenanceJobs.reconcileWallets.name: {
      maintenanceJobs.reconcileWallets.payload.parse(job.data);
      const drift = await reconcileWallets(deps);
      (drift.users > 0 ? logger.warn : logger.debug).call(logger, { jobId: job.id, ...drift }, "reconciled wallets");
      return { users: drift.users, totalAbs: drift.totalAbs };
    }
    case maintenanceJobs.repairWithdrawals.name: {
      maintenanceJobs.repairWithdrawals.payload.parse(job.data);
      const repaired = await repairWithdrawals(deps);
      (repaired.released + repaired.givenBack > 0 ? logger.warn : logger.debug).call(
        logger,
        { jobId: job.id, ...repaired },
        "finished withdrawals left unfinished",
      );
      return repaired;
    }
    case maintenanceJobs.pruneIdempotency.name: {
      maintenanceJobs.pruneIdempotency.payload.parse(job.data);
      const retentionMs = deps.config.IDEMPOTENCY_RETENTION_AFTER_SETTLEMENT_MINUTES * 60_000;
      const pruned = await pruneIdempotencyRecords(deps, { settledBefore: new Date(Date.now() - retentionMs) });
      (pruned.matches > 0 ? logger.info : logger.debug).call(
        logger,
        { jobId: job.id, ...pruned },
        "pruned idempotency records of settled matches",
      );
      return pruned;
    }
    default:
      throw new Error(`unknown maintenance job "${job.name}"`);
  }
}
