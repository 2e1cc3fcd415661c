import { Redis, type RedisOptions } from "ioredis";
import { getConfig } from "@/server/config";
import { existingSingleton, forgetSingleton, singleton } from "./singleton";

export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { lazyConnect: false, enableAutoPipelining: true, ...options });
}

/** The process's shared command connection (pub/sub and blocking reads need connections of their own). */
export function getRedis(): Redis {
  return singleton("redis", () => createRedis(getConfig().REDIS_URL));
}

export async function closeRedis(): Promise<void> {
  await existingSingleton<Redis>("redis")?.quit().catch(() => {});
  forgetSingleton("redis");
}

// A bet is acknowledged once it is in Redis, so Redis must keep every write (fsync before reply) and never evict.
const requiredSettings = [
  { name: "appendonly", expected: "yes" },
  { name: "appendfsync", expected: "always" },
  { name: "maxmemory-policy", expected: "noeviction" },
] as const;

/** Returns one sentence per unsafe setting; empty when Redis is configured to keep acknowledged bets. */
export async function findUnsafeRedisSettings(redis: Redis): Promise<string[]> {
  const problems: string[] = [];
  for (const { name, expected } of requiredSettings) {
    let actual: string | undefined;
    try {
      const reply = (await redis.config("GET", name)) as string[];
      actual = reply[1];
    } catch (error) {
      problems.push(`cannot read Redis setting "${name}" (${(error as Error).message}); it must be "${expected}"`);
      continue;
    }
    if (actual !== expected) problems.push(`Redis setting "${name}" is "${actual ?? "unset"}" but must be "${expected}"`);
  }
  return problems;
}

/** Refuses to start against a Redis that could lose an acknowledged bet, unless REDIS_ALLOW_UNSAFE=true. */
export async function assertRedisIsDurable(redis: Redis, allowUnsafe = getConfig().REDIS_ALLOW_UNSAFE): Promise<void> {
  const problems = await findUnsafeRedisSettings(redis);
  if (problems.length === 0 || allowUnsafe) return;
  throw new Error(
    `Refusing to start: ${problems.join("; ")}. Fix the Redis configuration, or set REDIS_ALLOW_UNSAFE=true for benchmarks only.`,
  );
}
