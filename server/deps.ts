import type { Queue } from "bullmq";
import type { RedisClient } from "@/server/platform/redis";
import { getConfig, type Config } from "./config";
import { getMatchLifecycleQueue } from "./jobs/match-lifecycle";
import { getDb, type Database } from "./platform/db";
import { getRedis } from "./platform/redis";
import { singleton } from "./platform/singleton";

/**
 * What every use case runs against, passed first: `useCase(deps, input)`. One object per process, built once: the
 * web's is `webDeps()`, the worker builds its own in workers/main.ts (its queue on a connection that never gives
 * up). A use case names what it reads with `Pick<Deps, ...>`, so a test passes only that.
 */
export type Deps = {
  db: Database;
  /** The connection for scripts and plain commands (never a blocking read). */
  redis: RedisClient;
  config: Config;
  /** config.WRITE_BEHIND_PARTITIONS, which every per-partition step needs. */
  partitions: number;
  lifecycleQueue: Queue;
};

export function depsFrom(parts: Omit<Deps, "partitions">): Deps {
  return { ...parts, partitions: parts.config.WRITE_BEHIND_PARTITIONS };
}

/** The web process's deps (route handlers and server components). */
export function webDeps(): Deps {
  return singleton("web-deps", () =>
    depsFrom({ db: getDb(), redis: getRedis(), config: getConfig(), lifecycleQueue: getMatchLifecycleQueue() }),
  );
}
