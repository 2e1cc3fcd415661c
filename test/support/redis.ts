import type { RedisOptions } from "ioredis";
import { afterAll } from "vitest";
import { getConfig } from "@/server/config";
import { connectRedis, type RedisClient } from "@/server/platform/redis";

/** A connection to the run's Redis (a Cluster when the stack runs on one), closed after the test file. */
export function connectTestRedis(options: RedisOptions = {}): RedisClient {
  const redis = connectRedis(getConfig({ ...process.env }), options);
  afterAll(() => redis.disconnect());
  return redis;
}
