import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@/scripts/lib/run";
import { requiredEnv } from "@/test/support/api-client";
import { assertRedisIsDurable, findUnsafeRedisSettings } from "./redis-durability";

// A throwaway Redis with the defaults a bet must never be acknowledged on: no AOF, and eviction allowed.
let url: string;
let server: ChildProcess;
let redis: Redis;
const dir = mkdtempSync(join(tmpdir(), "bm-unsafe-redis-"));

beforeAll(async () => {
  const port = await freePort();
  url = `redis://127.0.0.1:${port}`;
  server = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no", "--maxmemory-policy", "allkeys-lru"],
    { stdio: "ignore" },
  );
  redis = new Redis(url, { lazyConnect: true, retryStrategy: () => 100 });
  await waitFor("the unsafe Redis", async () => (await redis.ping()) === "PONG", 10_000);
});

// A port nobody listens on now (a fixed one may belong to another run's Redis on a shared machine).
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}

afterAll(() => {
  redis.disconnect();
  server.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

function runWorker(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("node_modules/.bin/tsx", ["workers/main.ts"], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d));
    child.stderr.on("data", (d: Buffer) => (output += d));
    const timer = setTimeout(() => child.kill("SIGTERM"), 20_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe("Redis durability check", () => {
  it("names every unsafe setting", async () => {
    const problems = await findUnsafeRedisSettings(redis);
    expect(problems.join("\n")).toMatch(/"appendonly" is "no"/);
    expect(problems.join("\n")).toMatch(/"appendfsync" is "everysec"/);
    expect(problems.join("\n")).toMatch(/"maxmemory-policy" is "allkeys-lru"/);
    await expect(assertRedisIsDurable(redis, { REDIS_ALLOW_UNSAFE: false, REDIS_REPLICAS_REQUIRED: 1 })).rejects.toThrow(
      /REDIS_ALLOW_UNSAFE/,
    );
    await expect(assertRedisIsDurable(redis, { REDIS_ALLOW_UNSAFE: true, REDIS_REPLICAS_REQUIRED: 0 })).resolves.toEqual([]);
  });

  it("accepts the test stack's Redis", async () => {
    const safe = new Redis(requiredEnv("REDIS_URL"));
    expect(await findUnsafeRedisSettings(safe)).toEqual([]);
    safe.disconnect();
  });

  it("a worker refuses to start on it, naming the setting", async () => {
    const { code, output } = await runWorker({ REDIS_URL: url, DATABASE_URL: requiredEnv("DATABASE_URL") });
    expect(code).toBe(1);
    expect(output).toMatch(/appendonly/);
  });
});
