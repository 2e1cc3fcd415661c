import { chownSync, existsSync, mkdirSync, readFileSync, appendFileSync } from "node:fs";
import { join, resolve } from "node:path";
import postgres from "postgres";
import { startRedisTopology, type RedisTopology, type RedisTopologyKind } from "./local-redis";
import { findPostgresBin } from "./prerequisites";
import { run, waitFor } from "./run";

/**
 * Private PostgreSQL and Redis instances for development and tests, in an ignored folder of the project
 * (.data/<profile>/), on ports of their own, so the machine's own services are never touched.
 */
export type Profile = { name: string; pgPort: number; redisPort: number; replicaPort: number; clusterBasePort: number };

// TEST_PORT_OFFSET moves every port of a test or benchmark run (services, web instances), so two checkouts can test
// and benchmark side by side.
export const testPortOffset = Number(process.env.TEST_PORT_OFFSET ?? 0);

export const profiles = {
  // A cluster's nodes take six ports from clusterBasePort (and their bus ports 100 above), below the kernel's
  // ephemeral range (32768-60999), where an outgoing connection could hold one just as a node starts.
  dev: { name: "dev", pgPort: 55432, redisPort: 56379, replicaPort: 56479, clusterBasePort: 27000 },
  test: {
    name: "test",
    pgPort: 55433 + testPortOffset,
    redisPort: 56380 + testPortOffset,
    replicaPort: 56480 + testPortOffset,
    clusterBasePort: 27010 + testPortOffset,
  },
  bench: {
    name: "bench",
    pgPort: 55434 + testPortOffset,
    redisPort: 56381 + testPortOffset,
    replicaPort: 56481 + testPortOffset,
    clusterBasePort: 27020 + testPortOffset,
  },
  // npm run bench:soak: its own instances, so a soak can run beside the other benchmarks and a test run.
  soak: {
    name: "soak",
    pgPort: 55435 + testPortOffset,
    redisPort: 56382 + testPortOffset,
    replicaPort: 56482 + testPortOffset,
    clusterBasePort: 27030 + testPortOffset,
  },
} satisfies Record<string, Profile>;

const projectRoot = resolve(import.meta.dirname, "../..");
export const dataDir = (profile: Profile) => join(projectRoot, ".data", profile.name);

const isRoot = process.getuid?.() === 0;

/** PostgreSQL refuses to run as root: as root, its commands run as the postgres user. */
function pgCommand(bin: string, tool: string, args: string[]) {
  return isRoot ? run("runuser", ["-u", "postgres", "--", join(bin, tool), ...args]) : run(join(bin, tool), args);
}

export type PostgresInstance = { adminUrl: string; dir: string; port: number; startedHere: boolean; stop(): Promise<void> };

export async function startPostgres(profile: Profile): Promise<PostgresInstance> {
  const bin = findPostgresBin();
  const dir = join(dataDir(profile), "postgres");
  const port = profile.pgPort;
  if (!existsSync(join(dir, "PG_VERSION"))) {
    // Parents stay traversable for the postgres user; the cluster folder itself is private, as initdb requires.
    mkdirSync(dataDir(profile), { recursive: true, mode: 0o755 });
    mkdirSync(dir, { mode: 0o700 });
    if (isRoot) chownSync(dir, ...postgresIds());
    await pgCommand(bin, "initdb", ["-D", dir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"]);
    appendFileSync(
      join(dir, "postgresql.conf"),
      [
        "",
        "# written by scripts/lib/local-services.ts",
        `port = ${port}`,
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${dir}'`,
        // Several web instances, workers and test processes each keep a pool.
        "max_connections = 300",
        "",
      ].join("\n"),
    );
  }
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const isRunning = await pgCommand(bin, "pg_ctl", ["-D", dir, "status"]).then(
    () => true,
    () => false,
  );
  if (!isRunning) await pgCommand(bin, "pg_ctl", ["-D", dir, "-l", join(dir, "server.log"), "-w", "-t", "60", "start"]);
  await waitFor(`PostgreSQL on port ${port}`, () => canQuery(adminUrl), 60_000);
  return {
    adminUrl,
    dir,
    port,
    startedHere: !isRunning,
    stop: async () => {
      await pgCommand(bin, "pg_ctl", ["-D", dir, "-m", "fast", "-w", "stop"]).catch(() => {});
    },
  };
}

function postgresIds(): [number, number] {
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith("postgres:"));
  if (!line) throw new Error("Running as root needs a 'postgres' user to run PostgreSQL (apt-get install postgresql creates it).");
  const [, , uid, gid] = line.split(":");
  return [Number(uid), Number(gid)];
}

async function canQuery(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** Creates the database if it does not exist; `fresh` drops it first. Returns its URL. */
export async function ensureDatabase(adminUrl: string, name: string, { fresh = false } = {}): Promise<string> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    if (fresh) await sql`drop database if exists ${sql(name)} with (force)`;
    const [exists] = await sql`select 1 from pg_database where datname = ${name}`;
    if (!exists) await sql`create database ${sql(name)}`;
  } finally {
    await sql.end({ timeout: 5 });
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The profile's Redis in the given topology (see local-redis.ts); the default keeps every bet on two disks. */
export function startRedis(profile: Profile, kind: RedisTopologyKind = "replicated"): Promise<RedisTopology> {
  return startRedisTopology(kind, {
    dir: dataDir(profile),
    primaryPort: profile.redisPort,
    replicaPort: profile.replicaPort,
    clusterBasePort: profile.clusterBasePort,
  });
}
