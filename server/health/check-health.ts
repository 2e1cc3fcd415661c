import { sql } from "drizzle-orm";
import type { Deps } from "@/server/deps";
import { countLiveWorkers } from "@/server/platform/heartbeat";

type Status = "up" | "down";
export type Health = { db: Status; redis: Status; workers: Status };

const TIMEOUT_MS = 2_000;

function within<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timed out")), TIMEOUT_MS).unref())]);
}

async function probe(check: () => Promise<boolean>): Promise<Status> {
  try {
    return (await within(check())) ? "up" : "down";
  } catch {
    return "down";
  }
}

export async function checkHealth({ db, redis }: Pick<Deps, "db" | "redis">): Promise<Health> {
  const [dbStatus, redisStatus, workers] = await Promise.all([
    probe(async () => (await db.execute(sql`select 1`)).length === 1),
    probe(async () => (await redis.ping()) === "PONG"),
    probe(async () => (await countLiveWorkers(redis)) > 0),
  ]);
  return { db: dbStatus, redis: redisStatus, workers };
}
