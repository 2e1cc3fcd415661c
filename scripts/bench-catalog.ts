// npm run bench:catalog: one run, one table. Propagation (edit commit -> visible on 3 instances) per mode, cached
// catalog throughput against the cache off and a no-op route, and PostgreSQL queries per 1000 cached reads.
import http from "node:http";
import { performance } from "node:perf_hooks";
import { createDatabase } from "@/server/platform/db";
import { seedDemo } from "@/server/seed/seed-demo";
import { invalidationModes } from "@/server/catalog/catalog-cache";
import type { MatchDto } from "@/server/catalog/match-root";
import { formatOdds, parseOdds } from "@/server/odds.shared";
import { ApiClient } from "@/test/support/api-client";
import { readMetric } from "@/test/support/web-instances";
import { profiles } from "./lib/local-services";
import { buildIfNeeded, provideServices, startWeb, startWorker, waitForHealthy, type ManagedProcess } from "./lib/stack";

const EDITS = Number(process.env.BENCH_EDITS ?? 200);
const LOAD_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = 32;
const processes: ManagedProcess[] = [];
let stopServices = async () => {};

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

// A kept-alive socket can be closed by the server just as it is reused; such a request is retried once.
async function get(url: string): Promise<{ status: number; body: string }> {
  try {
    return await getOnce(url);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ECONNRESET") throw error;
    return getOnce(url);
  }
}

function getOnce(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on("error", reject);
  });
}

/** Requests per second with CONCURRENCY keep-alive connections for LOAD_SECONDS. */
async function throughput(url: string): Promise<number> {
  for (let i = 0; i < 200; i++) await get(url); // warm-up
  const deadline = performance.now() + LOAD_SECONDS * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const res = await get(url);
        if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
        done++;
      }
    }),
  );
  return done / LOAD_SECONDS;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function versionOn(url: string, matchId: string): Promise<number> {
  return (JSON.parse((await get(`${url}/api/matches/${matchId}`)).body) as MatchDto).version;
}

/** Milliseconds from an edit's 200 (committed) until every instance serves its version, over EDITS edits. */
async function propagation(urls: string[], staff: ApiClient, match: MatchDto): Promise<number[]> {
  let selection = match.markets[0]!.selections[0]!;
  let target = match.version;
  const samples: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const odds = formatOdds(parseOdds(selection.odds) + (i % 2 === 0 ? 1 : -1));
    const res = await staff.request("PATCH", `/api/admin/selections/${selection.id}`, {
      json: { odds, expectedVersion: selection.version },
    });
    if (res.status !== 200) throw new Error(`edit failed: ${JSON.stringify(res.body)}`);
    const committedAt = performance.now();
    selection = res.body.selection;
    target++; // each edit bumps the match root's version by one
    const seenAt = await Promise.all(
      urls.map(async (url) => {
        while ((await versionOn(url, match.id)) < target) await new Promise((r) => setImmediate(r));
        return performance.now();
      }),
    );
    samples.push(Math.max(...seenAt) - committedAt);
  }
  return samples.sort((a, b) => a - b);
}

async function main() {
  const services = await provideServices(profiles.bench, { name: "bookmaker_bench", fresh: true });
  stopServices = services.stop;
  const { db, client } = createDatabase(services.databaseUrl, { max: 2 });
  await seedDemo({ db });
  await client.end();
  await buildIfNeeded();
  const env = { DATABASE_URL: services.databaseUrl, REDIS_URL: services.redisUrl, LOG_LEVEL: "warn" };
  const quiet = { ...env, LOG_LEVEL: "error" };
  processes.push(startWorker(quiet));

  const rows: string[][] = [];
  const staffBase = "http://127.0.0.1:3300";
  processes.push(startWeb(3300, quiet));
  await waitForHealthy(staffBase);
  const staff = new ApiClient(staffBase);
  await staff.post("/api/auth/login", { email: "staff@example.com", password: "password123" });
  const catalog = (await staff.get("/api/catalog")).body.matches as MatchDto[];

  for (const [i, mode] of invalidationModes.entries()) {
    const ports = [3310, 3311, 3312].map((p) => p + i * 3);
    const instances = ports.map((port) => startWeb(port, { ...quiet, CATALOG_INVALIDATION_MODE: mode }));
    processes.push(...instances);
    const urls = ports.map((p) => `http://127.0.0.1:${p}`);
    await Promise.all(urls.map((u) => waitForHealthy(u)));
    const match = catalog[i]!;
    for (const url of urls) await versionOn(url, match.id);
    const samples = await propagation(urls, staff, match);
    rows.push([
      `propagation, ${mode}`,
      `p50 ${percentile(samples, 50).toFixed(1)} ms`,
      `p99 ${percentile(samples, 99).toFixed(1)} ms`,
      `${samples.length} edits, 3 instances`,
    ]);
    await Promise.all(instances.map((p) => p.stop(1_000)));
  }

  const cached = "http://127.0.0.1:3330";
  const uncached = "http://127.0.0.1:3331";
  processes.push(startWeb(3330, quiet), startWeb(3331, { ...quiet, CATALOG_CACHE_ENABLED: "false" }));
  await Promise.all([waitForHealthy(cached), waitForHealthy(uncached)]);
  // One instance under load at a time, so each measurement has both cores minus the load generator.
  const noopBefore = await throughput(`${cached}/api/health/live`);
  const hit = await throughput(`${cached}/api/catalog`);
  const miss = await throughput(`${uncached}/api/catalog`);
  const noop = (noopBefore + (await throughput(`${cached}/api/health/live`))) / 2; // before and after, against drift
  rows.push([
    "GET /api/catalog, cached",
    `${hit.toFixed(0)} req/s`,
    `${((hit / noop) * 100).toFixed(0)}% of no-op`,
    `${CONCURRENCY} connections, ${LOAD_SECONDS} s`,
  ]);
  rows.push([
    "GET /api/catalog, cache off",
    `${miss.toFixed(0)} req/s`,
    `${((miss / noop) * 100).toFixed(0)}% of no-op`,
    `cached is ${(hit / miss).toFixed(1)}x`,
  ]);
  rows.push(["GET /api/health/live (no-op)", `${noop.toFixed(0)} req/s`, "100%", ""]);

  const before = await readMetric(cached, "bookmaker_catalog_db_queries_total");
  for (let i = 0; i < 1000; i++) await get(`${cached}/api/catalog`);
  const queries = (await readMetric(cached, "bookmaker_catalog_db_queries_total")) - before;
  rows.push(["PostgreSQL queries per 1000 cached reads", String(queries), "", "counted by the read path"]);

  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  console.log(`\nCatalog benchmark (${new Date().toISOString()}, ${EDITS} edits per mode)\n`);
  for (const row of rows) console.log("  " + row.map((cell, c) => cell.padEnd(widths[c]!)).join("  |  "));
  console.log();
  await Promise.all(processes.map((p) => p.stop(2_000)));
  await services.stop();
}

main().catch(async (error: unknown) => {
  console.error(error);
  await Promise.all(processes.map((p) => p.stop(1_000)));
  await stopServices();
  process.exit(1);
});
