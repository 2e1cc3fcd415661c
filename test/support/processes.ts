import { existsSync, readFileSync } from "node:fs";
import type { RedisClient } from "@/server/platform/redis";

/**
 * The live worker process of this project holding a lease (holder ids are "<role>-<pid>-..."), or null. Only such
 * a process is ever killed by the fault tests, never anything else on the machine.
 */
export async function workerHolding(redis: RedisClient, leaseKey: string): Promise<number | null> {
  return workerPid((await redis.get(leaseKey)) ?? "");
}

/** The pid of the live worker process a holder id ("worker-<pid>-...", also a BullMQ job's processedBy) names. */
export function workerPid(holderId: string): number | null {
  const pid = Number(holderId.split("-")[1]);
  const cmdline = `/proc/${pid}/cmdline`;
  return pid && existsSync(cmdline) && readFileSync(cmdline, "utf8").includes("workers/main.ts") ? pid : null;
}

/** Kills -9 the worker holding a lease; returns whether there was one. */
export async function killWorkerHolding(redis: RedisClient, leaseKey: string): Promise<boolean> {
  const pid = await workerHolding(redis, leaseKey);
  if (pid) process.kill(pid, "SIGKILL");
  return pid !== null;
}
