// npm start [-- --cluster] [--web N] [--workers M]: services, migrations, demo data, build, web instances and workers;
// Ctrl-C stops everything it started. --cluster runs on a local Redis Cluster (3 primaries, 3 replicas) instead of a
// primary and its replica; --web N puts N web instances behind HAProxy; --workers M runs M workers sharing the
// partition leases.
import { mkdirSync } from "node:fs";
import { parseArgs } from "node:util";
import { createDatabase } from "@/server/platform/db";
import { seedDemo } from "@/server/seed/seed-demo";
import { demoBettors, demoPassword, demoStaff } from "@/server/seed/demo-fixtures";
import { startLoadBalancer } from "./lib/load-balancer";
import { dataDir, profiles } from "./lib/local-services";
import { MissingPrerequisite } from "./lib/prerequisites";
import { buildIfNeeded, provideServices, startWeb, startWorker, waitForHealthy, type ManagedProcess } from "./lib/stack";

const { values: options } = parseArgs({
  options: {
    cluster: { type: "boolean", default: false },
    web: { type: "string", default: "1" },
    workers: { type: "string", default: "1" },
  },
});
const webCount = Number(options.web);
const workerCount = Number(options.workers);
if (!(
  Number.isInteger(webCount) &&
  webCount >= 1 &&
  webCount <= 8 &&
  Number.isInteger(workerCount) &&
  workerCount >= 1 &&
  workerCount <= 8
)) {
  console.error("--web and --workers take a whole number from 1 to 8.");
  process.exit(2);
}
const port = Number(process.env.PORT ?? 3000);
const startedAt = Date.now();
const processes: ManagedProcess[] = [];
let stopServices: () => Promise<void> = async () => {};
let isStopping = false;

async function shutdown(code: number) {
  if (isStopping) return;
  isStopping = true;
  console.log("\nStopping...");
  await Promise.all(processes.map((p) => p.stop()));
  await stopServices();
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

async function main() {
  // The cluster keeps a database of its own: its Redis starts empty, and wallets live in Redis.
  const topology = options.cluster ? "cluster" : "replicated";
  const services = await provideServices(profiles.dev, { name: options.cluster ? "bookmaker_cluster" : "bookmaker" }, topology);
  stopServices = services.stop;

  const { db, client } = createDatabase(services.databaseUrl, { max: 2 });
  const seeded = await seedDemo({ db });
  await client.end();
  console.log(`Seeded demo data (${seeded.matchesCreated} new matches).`);

  await buildIfNeeded();

  const env = services.env;
  for (let i = 1; i <= workerCount; i++) processes.push(startWorker(env, workerCount > 1 ? `worker${i}` : "worker"));
  if (webCount === 1) processes.push(startWeb(port, env));
  else {
    // Behind the balancer, which appends the client's address to X-Forwarded-For: one trusted hop.
    const webPorts = Array.from({ length: webCount }, (_, i) => port + 1 + i);
    processes.push(...webPorts.map((p) => startWeb(p, { ...env, TRUSTED_PROXY_HOPS: "1" })));
    mkdirSync(dataDir(profiles.dev), { recursive: true });
    processes.push(startLoadBalancer(dataDir(profiles.dev), port, webPorts));
  }
  for (const p of processes) {
    p.child.once("exit", (code, signal) => {
      if (isStopping) return;
      console.error(`${p.name} exited (${signal ?? `code ${code}`}); stopping everything.`);
      void shutdown(1);
    });
  }
  const url = `http://localhost:${port}`;
  await waitForHealthy(url);

  console.log(`
  Bookmaker is running at ${url}   (up in ${((Date.now() - startedAt) / 1000).toFixed(1)} s)

  Sign in with password "${demoPassword}":
    staff    ${demoStaff.join(", ")}   -> ${url}/admin
    bettors  ${demoBettors.join(", ")}

  ${webCount > 1 ? `HAProxy    ${url} -> ${webCount} web instances on ports ${port + 1}-${port + webCount}\n  ` : ""}Workers    ${workerCount}
  PostgreSQL ${services.databaseUrl}
  Redis      ${topology === "cluster" ? `Cluster ${services.redisClusterNodes.join(", ")}` : `${services.redisUrl} (and its replica)`}
  Press Ctrl-C to stop.
`);
}

main().catch(async (error: unknown) => {
  console.error(error instanceof MissingPrerequisite ? `Missing prerequisite: ${error.message}` : error);
  await shutdown(1);
});
