// npm test [-- step ...]: typecheck, lint, unit tests, then integration and browser tests against a private stack
// (PostgreSQL with a fresh database, Redis with a replica, the built web app and a worker) that this script starts
// and stops, then a large part of the integration suite again on a private Redis Cluster.
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createDatabase } from "@/server/platform/db";
import { seedDemo } from "@/server/seed/seed-demo";
import type { RedisTopologyKind } from "./lib/local-redis";
import { profiles, testPortOffset } from "./lib/local-services";
import { findChromium, findPsql, MissingPrerequisite } from "./lib/prerequisites";
import { run } from "./lib/run";
import {
  buildIfNeeded,
  projectRoot,
  provideServices,
  startWeb,
  startWorker,
  supervise,
  waitForHealthy,
  type ManagedProcess,
  type Services,
} from "./lib/stack";

const allSteps = ["typecheck", "lint", "unit", "integration", "e2e", "cluster"] as const;
type Step = (typeof allSteps)[number];
const requested = process.argv.slice(2).filter((a): a is Step => (allSteps as readonly string[]).includes(a));
const steps = requested.length > 0 ? requested : [...allSteps];
// Anything else narrows the test files, e.g. `npm test -- integration betting`.
const filters = process.argv.slice(2).filter((a) => !(allSteps as readonly string[]).includes(a));
const needsStack = steps.some((s) => s === "integration" || s === "e2e");

// The part of the integration suite that runs again on a Redis Cluster (3 primaries, 3 replicas): bets, catalog,
// lifecycle and settlement, wallets. Left out: the fault tests that kill one Redis by its pid file or every
// pub/sub connection through one node (they judge the default topology), and the HTTP suites that do not touch
// Redis differently on a Cluster.
const clusterSuite = ["server/betting", "server/catalog", "server/lifecycle", "server/wallet"];
const clusterFiles = () =>
  clusterSuite.flatMap((dir) =>
    readdirSync(join(projectRoot, dir))
      .filter((file) => file.endsWith(".int.test.ts"))
      .map((file) => `${dir}/${file}`),
  );

const reportDir = join(projectRoot, "test-results");
const webPort = Number(process.env.TEST_WEB_PORT ?? 3100 + testPortOffset);
const bin = (tool: string) => join(projectRoot, "node_modules", ".bin", tool);
const sh = (command: string, args: string[], env: Record<string, string> = {}) =>
  run(command, args, { cwd: projectRoot, quiet: false, env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env } });

type Counts = { passed: number; failed: number };
const results: { step: string; ok: boolean; seconds: number; counts?: Counts }[] = [];

function vitestCounts(file: string): Counts | undefined {
  if (!existsSync(file)) return undefined;
  const report = JSON.parse(readFileSync(file, "utf8")) as { numPassedTests: number; numFailedTests: number };
  return { passed: report.numPassedTests, failed: report.numFailedTests };
}

function playwrightCounts(file: string): Counts | undefined {
  if (!existsSync(file)) return undefined;
  const report = JSON.parse(readFileSync(file, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number } };
  return { passed: report.stats.expected + report.stats.flaky, failed: report.stats.unexpected };
}

async function step(name: string, body: () => Promise<Counts | undefined | void>) {
  console.log(`\n━━ ${name} ━━`);
  const started = Date.now();
  let ok = true;
  let counts: Counts | undefined;
  try {
    counts = (await body()) ?? undefined;
  } catch (error) {
    console.error(error instanceof Error ? error.message.split("\n")[0] : error);
    ok = false;
  }
  results.push({ step: name, ok: ok && !counts?.failed, seconds: (Date.now() - started) / 1000, counts });
}

/** Runs a test tool and returns the counts of its JSON report, whether or not the tool exited 0. */
async function counted(runTool: () => Promise<unknown>, readCounts: () => Counts | undefined): Promise<Counts | undefined> {
  try {
    await runTool();
  } catch (error) {
    const counts = readCounts();
    if (!counts?.failed) throw error; // the tool failed without reporting failed tests: a crash
    return counts;
  }
  return readCounts();
}

const vitest = (project: string, env: Record<string, string> = {}, args = filters, report = project) => {
  const output = join(reportDir, `vitest-${report}.json`);
  return () =>
    counted(
      () =>
        sh(
          bin("vitest"),
          ["run", "--project", project, ...args, "--reporter=default", "--reporter=json", `--outputFile.json=${output}`],
          env,
        ),
      () => vitestCounts(output),
    );
};

async function main() {
  rmSync(reportDir, { recursive: true, force: true });
  if (steps.includes("e2e")) findChromium();
  if (steps.includes("integration") || steps.includes("cluster")) findPsql();

  if (steps.includes("typecheck"))
    await step("typecheck", async () => {
      await sh(bin("next"), ["typegen"]);
      await sh(bin("tsc"), ["--noEmit"]);
    });
  if (steps.includes("lint"))
    await step("lint", async () => {
      await sh(bin("eslint"), ["--max-warnings", "0", "."]);
      await sh(bin("prettier"), ["--check", "."]); // `npm run format` fixes what it finds
    });
  if (steps.includes("unit")) await step("unit", vitest("unit"));

  if (needsStack) {
    await onStack("stack", "replicated", "bookmaker_test", webPort, async (env) => {
      if (steps.includes("integration")) await step("integration", vitest("integration", env));
      if (steps.includes("e2e")) {
        const output = join(reportDir, "playwright.json");
        await step("e2e", () =>
          counted(
            () => sh(bin("playwright"), ["test", ...filters], { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: output }),
            () => playwrightCounts(output),
          ),
        );
      }
    });
  }
  if (steps.includes("cluster")) {
    await onStack("cluster stack", "cluster", "bookmaker_test_cluster", webPort, async (env) => {
      await step("cluster", vitest("integration", env, filters.length > 0 ? filters : clusterFiles(), "cluster"));
    });
  }
}

/**
 * Brings up the private stack on a fresh database (seeded, the built web app, one web instance, a supervised
 * worker), runs `body` against it, then stops everything it started.
 */
async function onStack(
  name: string,
  topology: RedisTopologyKind,
  database: string,
  port: number,
  body: (env: Record<string, string>) => Promise<void>,
) {
  let services: Services | undefined;
  const processes: ManagedProcess[] = [];
  try {
    const env: Record<string, string> = {};
    await step(name, async () => {
      services = await provideServices(profiles.test, { name: database, fresh: true }, topology);
      const { db, client } = createDatabase(services.databaseUrl, { max: 2 });
      await seedDemo({ db });
      await client.end();
      await buildIfNeeded();
      Object.assign(env, { ...services.env, APP_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: "warn", PSQL: findPsql() });
      // Each ApiClient forwards an address of its own, as a proxy in front would, so this instance trusts one hop;
      // instances that tests start themselves keep the default (0: the socket address).
      processes.push(
        startWeb(port, { ...env, TRUSTED_PROXY_HOPS: "1" }),
        supervise("worker", () => startWorker(env)),
      );
      await waitForHealthy(`http://127.0.0.1:${port}`);
    });
    if (results.at(-1)?.ok) await body(env);
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
    await services?.stop();
  }
}

function summarize(): number {
  console.log("\n step          result   seconds   tests");
  for (const r of results) {
    const tests = r.counts ? `${r.counts.passed} passed, ${r.counts.failed} failed` : "";
    console.log(` ${r.step.padEnd(13)} ${(r.ok ? "ok" : "FAILED").padEnd(8)} ${r.seconds.toFixed(1).padStart(7)}   ${tests}`);
  }
  const total = results.reduce(
    (sum, r) => ({ passed: sum.passed + (r.counts?.passed ?? 0), failed: sum.failed + (r.counts?.failed ?? 0) }),
    { passed: 0, failed: 0 },
  );
  const failedSteps = results.filter((r) => !r.ok).length;
  // A step that failed without failing tests (typecheck, lint, a crash) still counts as one failure.
  const failedWithoutCounts = results.filter((r) => !r.ok && !r.counts?.failed).length;
  console.log(`\n${total.passed} passed, ${total.failed + failedWithoutCounts} failed`);
  return failedSteps === 0 ? 0 : 1;
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof MissingPrerequisite ? `Missing prerequisite: ${error.message}` : error);
    results.push({ step: "setup", ok: false, seconds: 0 });
  })
  .finally(() => process.exit(summarize()));
