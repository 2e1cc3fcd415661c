// npm test [-- step ...]: typecheck, lint, unit tests, then integration and browser tests against a private stack
// (PostgreSQL with a fresh database, Redis, the built web app and a worker) that this script starts and stops.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createDatabase } from "@/server/platform/db";
import { seedDemo } from "@/server/seed/seed-demo";
import { profiles, testPortOffset } from "./lib/local-services";
import { findChromium, findPsql, MissingPrerequisite } from "./lib/prerequisites";
import { run } from "./lib/run";
import { buildIfNeeded, projectRoot, provideServices, startWeb, startWorker, supervise, waitForHealthy, type ManagedProcess, type Services } from "./lib/stack";

const allSteps = ["typecheck", "lint", "unit", "integration", "e2e"] as const;
type Step = (typeof allSteps)[number];
const requested = process.argv.slice(2).filter((a): a is Step => (allSteps as readonly string[]).includes(a));
const steps = requested.length > 0 ? requested : [...allSteps];
// Anything else narrows the test files, e.g. `npm test -- integration betting`.
const filters = process.argv.slice(2).filter((a) => !(allSteps as readonly string[]).includes(a));
const needsStack = steps.some((s) => s === "integration" || s === "e2e");

const reportDir = join(projectRoot, "test-results");
const webPort = Number(process.env.TEST_WEB_PORT ?? 3100 + testPortOffset);
const baseUrl = `http://127.0.0.1:${webPort}`;
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

const vitest = (project: string, env: Record<string, string> = {}) => {
  const output = join(reportDir, `vitest-${project}.json`);
  return () =>
    counted(
      () => sh(bin("vitest"), ["run", "--project", project, ...filters, "--reporter=default", "--reporter=json", `--outputFile.json=${output}`], env),
      () => vitestCounts(output),
    );
};

async function main() {
  rmSync(reportDir, { recursive: true, force: true });
  if (steps.includes("e2e")) findChromium();
  const psql = steps.includes("integration") ? findPsql() : "psql";

  if (steps.includes("typecheck")) await step("typecheck", async () => {
    await sh(bin("next"), ["typegen"]);
    await sh(bin("tsc"), ["--noEmit"]);
  });
  if (steps.includes("lint")) await step("lint", async () => void (await sh(bin("eslint"), ["--max-warnings", "0", "."])));
  if (steps.includes("unit")) await step("unit", vitest("unit"));
  if (!needsStack) return;

  let services: Services | undefined;
  const processes: ManagedProcess[] = [];
  try {
    const env: Record<string, string> = {};
    await step("stack", async () => {
      services = await provideServices(profiles.test, { name: "bookmaker_test", fresh: true });
      const { db, client } = createDatabase(services.databaseUrl, { max: 2 });
      await seedDemo(db);
      await client.end();
      await buildIfNeeded();
      Object.assign(env, { DATABASE_URL: services.databaseUrl, REDIS_URL: services.redisUrl, APP_URL: baseUrl, LOG_LEVEL: "warn", PSQL: psql });
      // Each ApiClient forwards an address of its own, as a proxy in front would, so this instance trusts one hop;
      // instances that tests start themselves keep the default (0: the socket address).
      processes.push(startWeb(webPort, { ...env, TRUSTED_PROXY_HOPS: "1" }), supervise("worker", () => startWorker(env)));
      await waitForHealthy(baseUrl);
    });
    if (!results.at(-1)?.ok) return;
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
  const total = results.reduce((sum, r) => ({ passed: sum.passed + (r.counts?.passed ?? 0), failed: sum.failed + (r.counts?.failed ?? 0) }), { passed: 0, failed: 0 });
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
