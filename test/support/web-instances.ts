import { onTestFinished } from "vitest";
import { testPortOffset } from "@/scripts/lib/local-services";
import { startWeb, waitForHealthy, type ManagedProcess } from "@/scripts/lib/stack";
import { requiredEnv } from "./api-client";

/** Starts `count` extra web instances on the test stack (ports from `firstPort`), stopped when the test ends. */
export async function startWebInstances(count: number, basePort: number, env: Record<string, string> = {}) {
  const instances: ManagedProcess[] = [];
  const firstPort = basePort + testPortOffset;
  const urls = Array.from({ length: count }, (_, i) => `http://127.0.0.1:${firstPort + i}`);
  for (let i = 0; i < count; i++) {
    instances.push(
      startWeb(firstPort + i, {
        DATABASE_URL: requiredEnv("DATABASE_URL"),
        REDIS_URL: requiredEnv("REDIS_URL"),
        LOG_LEVEL: "warn",
        ...env,
      }),
    );
  }
  // Test instances hold no state worth a graceful shutdown: a short grace keeps the suite fast.
  const stop = () => Promise.all(instances.map((p) => p.stop(1_000)));
  onTestFinished(async () => void (await stop()));
  await Promise.all(urls.map((url) => waitForHealthy(url, 60_000)));
  return { urls, stop, instances };
}

/** Reads one counter or gauge of an instance's /api/metrics (summed over labels matching `labels`), from loopback. */
export async function readMetric(baseUrl: string, name: string, labels = ""): Promise<number> {
  const res = await fetch(`${baseUrl}/api/metrics`);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET /api/metrics answered ${res.status}: ${text}`);
  return text
    .split("\n")
    .filter((line) => line.startsWith(name) && line.includes(labels) && !line.startsWith("#"))
    .reduce((sum, line) => sum + Number(line.split(" ").at(-1)), 0);
}
