// npm start: services, migrations, demo data, build, web app and worker; Ctrl-C stops everything it started.
import { createDatabase } from "@/server/platform/db";
import { seedDemo } from "@/server/seed/seed-demo";
import { demoBettors, demoPassword, demoStaff } from "@/server/seed/demo-fixtures";
import { profiles } from "./lib/local-services";
import { MissingPrerequisite } from "./lib/prerequisites";
import { buildIfNeeded, provideServices, startWeb, startWorker, waitForHealthy, type ManagedProcess } from "./lib/stack";

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
  const services = await provideServices(profiles.dev, { name: "bookmaker" });
  stopServices = services.stop;

  const { db, client } = createDatabase(services.databaseUrl, { max: 2 });
  const seeded = await seedDemo(db);
  await client.end();
  console.log(`Seeded demo data (${seeded.matchesCreated} new matches).`);

  await buildIfNeeded();

  const env = { DATABASE_URL: services.databaseUrl, REDIS_URL: services.redisUrl };
  processes.push(startWeb(port, env), startWorker(env));
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

  PostgreSQL ${services.databaseUrl}
  Redis      ${services.redisUrl}
  Press Ctrl-C to stop.
`);
}

main().catch(async (error: unknown) => {
  console.error(error instanceof MissingPrerequisite ? `Missing prerequisite: ${error.message}` : error);
  await shutdown(1);
});
