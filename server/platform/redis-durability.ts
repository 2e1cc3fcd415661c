import type { Config } from "@/server/config";
import type { RedisClient } from "./redis";
import { findReplicationProblems, primaryConnections } from "./replication";

// A bet is acknowledged once it is in Redis, so every primary must keep every write (fsync before reply, also
// during an AOF rewrite) and never evict; its replicas are checked by findReplicationProblems.
const requiredSettings = [
  { name: "appendonly", expected: "yes" },
  { name: "appendfsync", expected: "always" },
  { name: "no-appendfsync-on-rewrite", expected: "no" },
  { name: "maxmemory-policy", expected: "noeviction" },
] as const;

/** Returns one sentence per unsafe setting of any primary; empty when they keep acknowledged bets. */
export async function findUnsafeRedisSettings(redis: RedisClient): Promise<string[]> {
  const problems: string[] = [];
  for (const primary of await primaryConnections(redis)) {
    const where = primary === redis ? "Redis" : `Redis ${primary.options.host}:${primary.options.port}`;
    for (const { name, expected } of requiredSettings) {
      let actual: string | undefined;
      try {
        const reply = (await primary.config("GET", name)) as string[];
        actual = reply[1];
      } catch (error) {
        problems.push(`cannot read ${where} setting "${name}" (${(error as Error).message}); it must be "${expected}"`);
        continue;
      }
      if (actual !== expected) problems.push(`${where} setting "${name}" is "${actual ?? "unset"}" but must be "${expected}"`);
    }
  }
  return problems;
}

/**
 * Refuses to start against a Redis that could lose an acknowledged bet: a primary or a replica that does not fsync
 * every write, or a replica a failover could promote that WAIT does not count. REDIS_ALLOW_UNSAFE=true (benchmarks
 * only) starts anyway. Returns the warnings (e.g. a replica missing: bets are refused until it returns).
 */
export async function assertRedisIsDurable(
  redis: RedisClient,
  config: Pick<Config, "REDIS_ALLOW_UNSAFE" | "REDIS_REPLICAS_REQUIRED">,
): Promise<string[]> {
  if (config.REDIS_ALLOW_UNSAFE) return [];
  const replication = await findReplicationProblems(redis, config.REDIS_REPLICAS_REQUIRED);
  const problems = [...(await findUnsafeRedisSettings(redis)), ...replication.blocking];
  if (problems.length > 0) {
    throw new Error(
      `Refusing to start: ${problems.join("; ")}. Fix the Redis configuration, or set REDIS_ALLOW_UNSAFE=true for benchmarks only.`,
    );
  }
  return replication.warnings;
}
