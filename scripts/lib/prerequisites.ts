import { existsSync, readdirSync } from "node:fs";
import { delimiter, join } from "node:path";

export class MissingPrerequisite extends Error {}

export function which(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, binary);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The bin folder of the newest PostgreSQL server installed from Debian's packages (or on PATH). */
export function findPostgresBin(): string {
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, "bin", "initdb")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], "bin");
  }
  const initdb = which("initdb");
  if (initdb) return join(initdb, "..");
  throw new MissingPrerequisite(
    "PostgreSQL server binaries (initdb, pg_ctl) were not found. Install them with: apt-get install postgresql " +
      "(or set DATABASE_URL to use an existing server).",
  );
}

export function findRedisServer(): string {
  const found = which("redis-server");
  if (found) return found;
  throw new MissingPrerequisite(
    "redis-server was not found. Install it with: apt-get install redis-server (or set REDIS_URL to use an existing server).",
  );
}

export function findChromium(): string {
  const found = process.env.CHROMIUM_PATH ?? which("chromium") ?? which("chromium-browser");
  if (found) return found;
  throw new MissingPrerequisite("Chromium was not found for the browser tests. Install it with: apt-get install chromium.");
}

/** psql, for the payout script (drizzle/settle-match.sql) and the tests that run it as a person would. */
export function findPsql(): string {
  const found = which("psql") ?? psqlBesideServer();
  if (found) return found;
  throw new MissingPrerequisite(
    "psql was not found for the payout script and its tests. Install it with: apt-get install postgresql-client.",
  );
}

function psqlBesideServer(): string | undefined {
  try {
    const psql = join(findPostgresBin(), "psql");
    return existsSync(psql) ? psql : undefined;
  } catch {
    return undefined;
  }
}

/** HAProxy, the load balancer of `npm start -- --web N` (Debian installs it in /usr/sbin, not on every PATH). */
export function findHaproxy(): string {
  const found = which("haproxy") ?? (existsSync("/usr/sbin/haproxy") ? "/usr/sbin/haproxy" : undefined);
  if (found) return found;
  throw new MissingPrerequisite("haproxy was not found for several web instances (--web N). Install it with: apt-get install haproxy.");
}
