import type { RedisClient } from "./redis";
import { globalKeys } from "@/server/platform/redis-keys";

const KEY = globalKeys.workerHeartbeats;
export const HEARTBEAT_INTERVAL_MS = 5_000;
// Three missed beats and a worker counts as gone.
const STALE_AFTER_MS = 3 * HEARTBEAT_INTERVAL_MS;

export async function recordHeartbeat(redis: RedisClient, workerId: string, now = Date.now()): Promise<void> {
  await redis
    .multi()
    .zadd(KEY, now, workerId)
    .zremrangebyscore(KEY, 0, now - 10 * STALE_AFTER_MS)
    .exec();
}

export async function removeHeartbeat(redis: RedisClient, workerId: string): Promise<void> {
  await redis.zrem(KEY, workerId);
}

export async function countLiveWorkers(redis: RedisClient, now = Date.now()): Promise<number> {
  return redis.zcount(KEY, now - STALE_AFTER_MS, "+inf");
}
