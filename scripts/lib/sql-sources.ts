import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** drizzle/sql/: the current text of every SQL function and trigger, which migrations install. */
export const sqlSourceFolder = resolve(import.meta.dirname, "../../drizzle/sql");

// drizzle's migrator runs a migration one chunk at a time, split at this marker (drizzle-orm/migrator.js), and
// postgres.js refuses two statements in one chunk: source files separate their statements with it too.
export const statementBreakpoint = "--> statement-breakpoint";

export type SqlSource = { name: string; text: string };

/** The source files named (all when none is), in name order: the order a migration runs them in. */
export function readSqlSources(names: string[] = []): SqlSource[] {
  const available = readdirSync(sqlSourceFolder)
    .filter((f) => f.endsWith(".sql"))
    .map((f) => f.slice(0, -".sql".length))
    .sort();
  const unknown = names.filter((n) => !available.includes(n));
  if (unknown.length > 0) throw new Error(`no drizzle/sql/${unknown[0]}.sql (there are: ${available.join(", ")})`);
  return available
    .filter((name) => names.length === 0 || names.includes(name))
    .map((name) => ({ name, text: readFileSync(join(sqlSourceFolder, `${name}.sql`), "utf8").trimEnd() + "\n" }));
}

/** The statements of a migration or source file, exactly as drizzle's migrator sends them. */
export const statementsOf = (text: string) => text.split(statementBreakpoint);
