import { once } from "node:events";
import { Cluster, type Redis, type RedisOptions } from "ioredis";
import { afterAll } from "vitest";
import { getConfig } from "@/server/config";
import { connectRedis, type RedisClient } from "@/server/platform/redis";

/** A connection to the run's Redis (a Cluster when the stack runs on one), closed after the test file. */
export function connectTestRedis(options: RedisOptions = {}): RedisClient {
  const redis = connectRedis(getConfig({ ...process.env }), options);
  afterAll(() => redis.disconnect());
  return redis;
}

/** Every node behind a connection: all of a Cluster's (a subscriber may sit on a replica), or the one server. */
export async function everyNode(redis: RedisClient): Promise<Redis[]> {
  if (!(redis instanceof Cluster)) return [redis];
  if (redis.status !== "ready") await once(redis, "ready");
  return redis.nodes("all");
}

/** Kills every pub/sub connection of the run's Redis (CLIENT KILL TYPE pubsub on each node); returns how many. */
export async function killSubscriptions(redis: RedisClient): Promise<number> {
  const killed = await Promise.all((await everyNode(redis)).map((node) => node.client("KILL", "TYPE", "pubsub")));
  return killed.reduce((sum: number, n) => sum + Number(n), 0);
}
