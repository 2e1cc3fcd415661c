import { Cluster, Redis, type RedisOptions } from "ioredis";
import { getConfig, type Config } from "@/server/config";
import { existingSingleton, forgetSingleton, singleton } from "./singleton";

/** A connection to one Redis primary (with its replicas) or to a Redis Cluster: the platform runs on either. */
export type RedisClient = Redis | Cluster;

export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { lazyConnect: false, enableAutoPipelining: true, ...options });
}

/**
 * A new connection to the configured Redis: the Cluster of REDIS_CLUSTER_NODES, else REDIS_URL. Every key a script
 * touches shares its partition's hash tag, so each script runs on the one node that holds that partition.
 */
export function connectRedis(config: Pick<Config, "REDIS_URL" | "REDIS_CLUSTER_NODES">, options: RedisOptions = {}): RedisClient {
  if (config.REDIS_CLUSTER_NODES.length === 0) return createRedis(config.REDIS_URL, options);
  const { username, password } = new URL(config.REDIS_URL);
  const nodes = config.REDIS_CLUSTER_NODES.map((node) => {
    const [host, port] = node.split(":");
    return { host: host!, port: Number(port) };
  });
  return new Cluster(nodes, {
    enableAutoPipelining: true,
    redisOptions: { username: username || undefined, password: password || undefined, ...options },
  });
}

/**
 * The `attempt`-th connection for SUBSCRIBE. A Cluster relays every PUBLISH to all its nodes, so one node will do:
 * the next of REDIS_CLUSTER_NODES at each attempt, given up (an "end") after a few failed reconnects so the caller
 * moves on. ioredis's Cluster would move its subscriber silently, without the "ready" after which the catalog
 * revalidates what it missed.
 */
export function connectSubscriber(config: Pick<Config, "REDIS_URL" | "REDIS_CLUSTER_NODES">, attempt: number): Redis {
  const nodes = config.REDIS_CLUSTER_NODES;
  if (nodes.length === 0) return createRedis(config.REDIS_URL);
  const url = new URL(config.REDIS_URL);
  url.host = nodes[attempt % nodes.length]!;
  return createRedis(url.toString(), { retryStrategy: (times) => (times > 3 ? null : 200 * times) });
}

/** The process's shared command connection (pub/sub and blocking reads need connections of their own). */
export function getRedis(): RedisClient {
  return singleton("redis", () => connectRedis(getConfig()));
}

export async function closeRedis(): Promise<void> {
  await existingSingleton<RedisClient>("redis")
    ?.quit()
    .catch(() => {});
  forgetSingleton("redis");
}
