// The worker process: background jobs that run beside the web instances. Several may run at once.
import { randomUUID } from "node:crypto";
import { UnrecoverableError, Worker, type Job } from "bullmq";
import { ZodError } from "zod";
import { getConfig } from "@/server/config";
import { depsFrom } from "@/server/deps";
import { AppError } from "@/server/errors";
import { createMatchLifecycleQueue, matchLifecycleQueueName, scheduleMatchLifecycle } from "@/server/jobs/match-lifecycle";
import { runMatchLifecycleJob } from "@/server/lifecycle/lifecycle-jobs";
import { createMaintenanceQueue, maintenanceQueueName, runMaintenanceJob, scheduleMaintenance } from "@/server/jobs/maintenance";
import { closeDb, getDb } from "@/server/platform/db";
import { HEARTBEAT_INTERVAL_MS, recordHeartbeat, removeHeartbeat } from "@/server/platform/heartbeat";
import { logger } from "@/server/platform/logger";
import { createOutboxRelay } from "./outbox-relay";
import { PartitionFlusher } from "@/server/betting/flusher";
import { LiabilityRebalancer } from "@/server/risk/rebalance";
import { allPartitions } from "@/server/platform/partitions";
import { closeRedis, connectRedis, getRedis } from "@/server/platform/redis";
import { jobQueuePrefix } from "@/server/platform/redis-keys";
import { exitUnlessRedisIsDurable } from "@/server/platform/startup-checks";

const workerId = `worker-${process.pid}-${randomUUID().slice(0, 8)}`;
const log = logger.child({ workerId });

async function main() {
  const config = getConfig();
  const redis = getRedis();
  await exitUnlessRedisIsDurable();
  const db = getDb();

  // BullMQ's blocking connections must retry forever rather than fail a command.
  const connection = connectRedis(config, { maxRetriesPerRequest: null });
  const queue = createMaintenanceQueue(connection);
  await scheduleMaintenance(queue, { reconcileEverySeconds: config.WALLET_RECONCILE_EVERY_SECONDS });

  // What every job and service of this process runs against, built once. Its lifecycle queue is on the connection
  // that never gives up, like the workers'.
  const lifecycleQueue = createMatchLifecycleQueue(connection);
  const deps = depsFrom({ db, redis, config, lifecycleQueue });
  const maintenance = new Worker(
    maintenanceQueueName,
    failFast((job) => runMaintenanceJob(deps, job)),
    { connection, prefix: jobQueuePrefix, concurrency: 1 },
  );
  maintenance.on("failed", (job, error) => log.error({ jobId: job?.id, name: job?.name, err: error }, "job failed"));
  maintenance.on("error", (error) => log.error({ err: error }, "maintenance worker error"));

  // Named after this process, so a job shows which worker ran it (jobs.processedBy). A short lock: the job of a
  // worker that died is handed to another worker within about 15 s (the payout is one transaction, so rerunning it
  // after a partial run is safe).
  await scheduleMatchLifecycle(lifecycleQueue);
  const lifecycle = new Worker(
    matchLifecycleQueueName,
    failFast((job) => runMatchLifecycleJob(deps, job)),
    {
      connection,
      prefix: jobQueuePrefix,
      concurrency: 2,
      name: workerId,
      lockDuration: 10_000,
      stalledInterval: 5_000,
    },
  );
  lifecycle.on("failed", (job, error) => log.error({ jobId: job?.id, name: job?.name, err: error }, "job failed"));
  lifecycle.on("error", (error) => log.error({ err: error }, "match lifecycle worker error"));

  // Its own connection: the relay and flushers (Lua scripts, leases) must not queue behind BullMQ's blocking commands.
  const scriptRedis = connectRedis(config);
  const scriptDeps = { ...deps, redis: scriptRedis };
  const relay = createOutboxRelay(scriptDeps, log);
  await relay.start();

  // Every worker runs a flusher per partition; the partition's lease lets one of them flush at a time.
  const flushers = allPartitions(deps.partitions).map(
    (partition) =>
      new PartitionFlusher(scriptDeps, {
        partition,
        reader: connectRedis(config, { maxRetriesPerRequest: null }),
        batchSize: config.FLUSH_BATCH_SIZE,
        log,
      }),
  );
  flushers.forEach((f) => f.start());
  const rebalancer = new LiabilityRebalancer(scriptDeps);
  rebalancer.start();

  const beat = () => recordHeartbeat(redis, workerId).catch((error: unknown) => log.warn({ err: error }, "heartbeat failed"));
  await beat();
  const heartbeat = setInterval(beat, HEARTBEAT_INTERVAL_MS);
  log.info("worker started");

  let isStopping = false;
  const stop = async (signal: string) => {
    if (isStopping) return;
    isStopping = true;
    log.info({ signal }, "worker stopping");
    clearInterval(heartbeat);
    await Promise.all([...flushers.map((f) => f.stop()), rebalancer.stop()]);
    await relay.stop();
    scriptRedis.disconnect();
    await Promise.all([maintenance.close(), lifecycle.close()]);
    await Promise.all([queue.close(), lifecycleQueue.close()]);
    await removeHeartbeat(redis, workerId).catch(() => {});
    connection.disconnect();
    await closeRedis();
    await closeDb();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

/** A job that cannot succeed (invalid payload, a refusal such as MATCH_INCOMPLETE) fails at once, without retries. */
function failFast<T>(run: (job: Job) => Promise<T>) {
  return async (job: Job) => {
    try {
      return await run(job);
    } catch (error) {
      if (error instanceof ZodError) throw new UnrecoverableError(`invalid payload: ${error.message}`);
      if (error instanceof AppError) throw new UnrecoverableError(`${error.code}: ${error.message}`);
      throw error;
    }
  };
}

main().catch((error: unknown) => {
  log.fatal({ err: error }, "worker failed to start");
  process.exit(1);
});
