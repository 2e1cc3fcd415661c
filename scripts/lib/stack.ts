import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { getConfig } from "@/server/config";
import { connectRedis } from "@/server/platform/redis";
import { assertRedisIsDurable } from "@/server/platform/redis-durability";
import { primaryConnections } from "@/server/platform/replication";
import { runMigrations } from "@/server/platform/migrate";
import type { RedisTopologyKind } from "./local-redis";
import { ensureDatabase, startPostgres, startRedis, type Profile } from "./local-services";
import { run, sleep, waitFor } from "./run";

export const projectRoot = resolve(import.meta.dirname, "../..");

type Env = Record<string, string | undefined>;

export type Services = {
  databaseUrl: string;
  redisUrl: string;
  /** host:port of each node when Redis is a Cluster, else empty. */
  redisClusterNodes: string[];
  /** What the app's processes need to reach these services. */
  env: Record<string, string>;
  stop(): Promise<void>;
};

/** `--cluster` on the command line: the private Redis is a Cluster (else a primary and its replica). */
export const redisTopologyOf = (args: string[]): RedisTopologyKind => (args.includes("--cluster") ? "cluster" : "replicated");

/**
 * PostgreSQL and Redis for a run: the ones named by DATABASE_URL / REDIS_URL (and REDIS_CLUSTER_NODES), or private
 * instances of the profile, Redis in the given topology. Only instances started here are stopped by `stop()`.
 */
export async function provideServices(
  profile: Profile,
  database: { name: string; fresh?: boolean },
  redisTopology: RedisTopologyKind = "replicated",
): Promise<Services> {
  const stops: (() => Promise<void>)[] = [];
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const pg = await startPostgres(profile);
    if (pg.startedHere) stops.push(pg.stop);
    databaseUrl = await ensureDatabase(pg.adminUrl, database.name, { fresh: database.fresh });
  } else if (database.fresh) {
    // A given server still gets a database of the run's own, so tests never see someone else's rows.
    databaseUrl = await ensureDatabase(databaseUrl, database.name, { fresh: true });
  }
  let redisUrl = process.env.REDIS_URL;
  let redisClusterNodes = (process.env.REDIS_CLUSTER_NODES ?? "").split(",").filter(Boolean);
  let isPrivateRedis = false;
  if (!redisUrl) {
    const redis = await startRedis(profile, redisTopology);
    if (redis.startedHere) stops.push(redis.stop);
    redisUrl = redis.url;
    redisClusterNodes = redis.clusterNodes;
    isPrivateRedis = true;
  }
  const env = { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, REDIS_CLUSTER_NODES: redisClusterNodes.join(",") };
  const config = getConfig({ ...process.env, ...env });
  const redis = connectRedis(config, { maxRetriesPerRequest: 1 });
  try {
    await assertRedisIsDurable(redis, config);
    // Only a private Redis is wiped for a fresh run; a given one may be shared.
    if (database.fresh && isPrivateRedis) await Promise.all((await primaryConnections(redis)).map((node) => node.flushall()));
  } finally {
    redis.disconnect();
  }
  await runMigrations(databaseUrl);
  return {
    databaseUrl,
    redisUrl,
    redisClusterNodes,
    env,
    stop: async () => {
      for (const stop of stops.reverse()) await stop();
    },
  };
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newestMtime(join(path, entry))));
}

/** Runs `next build` unless the last build is newer than every source it depends on. */
export async function buildIfNeeded(): Promise<void> {
  const buildId = join(projectRoot, ".next", "BUILD_ID");
  const sources = ["app", "server", "drizzle", "next.config.ts", "package-lock.json", "tsconfig.json"];
  const newestSource = Math.max(...sources.map((s) => newestMtime(join(projectRoot, s))));
  if (existsSync(buildId) && statSync(buildId).mtimeMs > newestSource) return;
  console.log("Building the web app (next build)...");
  await run(bin("next"), ["build"], { cwd: projectRoot, quiet: false, env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
}

export type ManagedProcess = { name: string; child: ChildProcess; stop(graceMs?: number): Promise<void>; kill(): void };

/** Starts a long-running child with its output prefixed by its name; `stop()` sends SIGTERM, then SIGKILL. */
export function startProcess(name: string, command: string, args: string[], env: Env): ManagedProcess {
  const child = spawn(command, args, {
    cwd: projectRoot,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const prefix = `[${name}] `;
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = "";
    stream?.on("data", (chunk: Buffer) => {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) process.stdout.write(prefix + line + "\n");
    });
  }
  return {
    name,
    child,
    // kill -9, as a crash: the server (tsx's child) first, so it gets no chance to answer anything more.
    kill: () => [...childPids(child.pid!), child.pid!].forEach((pid) => isAlive(pid) && process.kill(pid, "SIGKILL")),
    // `tsx` runs the real server in a child process: it is signalled too, or it would outlive a stop.
    stop: async (graceMs = 10_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const pids = [child.pid!, ...childPids(child.pid!)];
      const signal = (sig: NodeJS.Signals) => pids.forEach((pid) => isAlive(pid) && process.kill(pid, sig));
      signal("SIGTERM");
      const deadline = Date.now() + graceMs;
      while (pids.some(isAlive) && Date.now() < deadline) await sleep(50);
      signal("SIGKILL");
    },
  };
}

function childPids(pid: number): number[] {
  const out = spawnSync("pgrep", ["-P", String(pid)], { encoding: "utf8" }).stdout ?? "";
  return out.split("\n").filter(Boolean).map(Number);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const bin = (tool: string) => join(projectRoot, "node_modules", ".bin", tool);

export function startWeb(port: number, env: Env): ManagedProcess {
  return startProcess(`web:${port}`, bin("tsx"), ["web-server.ts", "-p", String(port), "-H", "127.0.0.1"], {
    SERVICE_NAME: "web",
    ...env,
  });
}

export function startWorker(env: Env, name = "worker"): ManagedProcess {
  return startProcess(name, bin("tsx"), ["workers/main.ts"], { SERVICE_NAME: "worker", ...env });
}

/**
 * Keeps a process running the way a service manager would: started again half a second after it dies. Fault tests
 * kill -9 workers and count on a replacement taking over.
 */
export function supervise(name: string, start: () => ManagedProcess): ManagedProcess {
  let current = start();
  let isStopping = false;
  const watch = (p: ManagedProcess) =>
    p.child.once("exit", (code, signal) => {
      if (isStopping) return;
      console.log(`[${name}] exited (${signal ?? `code ${code}`}); restarting`);
      setTimeout(() => {
        if (isStopping) return;
        current = start();
        watch(current);
      }, 500);
    });
  watch(current);
  return {
    name,
    get child() {
      return current.child;
    },
    kill: () => current.kill(), // started again, as any death
    stop: async () => {
      isStopping = true;
      await current.stop();
    },
  };
}

export async function waitForHealthy(baseUrl: string, timeoutMs = 90_000): Promise<void> {
  await waitFor(`${baseUrl}/api/health`, async () => (await fetch(`${baseUrl}/api/health`)).ok, timeoutMs);
}
