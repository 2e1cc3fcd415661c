// npm run db:sql-migration -- <name> [source ...]: a new drizzle migration whose SQL is the current text of
// drizzle/sql/<source>.sql, of every source file when none is named. drizzle-kit's own `generate --custom` writes
// the journal entry and the snapshot, so later `drizzle-kit generate` runs diff from it as from any migration.
import { readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { migrationsFolder } from "@/server/platform/migrate";
import { run } from "./lib/run";
import { readSqlSources, statementBreakpoint } from "./lib/sql-sources";
import { projectRoot } from "./lib/stack";

type Journal = { entries: { idx: number; when: number; tag: string }[] };
const journalPath = join(migrationsFolder, "meta", "_journal.json");
const lastEntry = () => (JSON.parse(readFileSync(journalPath, "utf8")) as Journal).entries.at(-1);

async function main() {
  const [name, ...sourceNames] = process.argv.slice(2);
  if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error("usage: npm run db:sql-migration -- <name_in_snake_case> [source ...]");
  const sources = readSqlSources(sourceNames);
  const previous = lastEntry();
  // The migrator applies only migrations newer than the last one applied, by the journal's `when` (Date.now() at
  // generation): with the clock behind the last entry the new migration would never run.
  if (previous && Date.now() <= previous.when)
    throw new Error(`the clock is behind the last migration (${previous.tag}, ${new Date(previous.when).toISOString()})`);

  await run(join(projectRoot, "node_modules", ".bin", "drizzle-kit"), ["generate", "--custom", `--name=${name}`], {
    cwd: projectRoot,
    quiet: false,
  });
  const entry = lastEntry();
  if (!entry || entry.idx === previous?.idx) throw new Error("drizzle-kit added no journal entry");

  const file = join(migrationsFolder, `${entry.tag}.sql`);
  const header =
    `-- Installs the current text of ${sources.map((s) => `drizzle/sql/${s.name}.sql`).join(", ")} (npm run db:sql-migration).\n` +
    "-- This migration may have run on databases: change the source file and generate a new one instead.\n";
  writeFileSync(file, header + sources.map((s) => s.text).join(`${statementBreakpoint}\n`));
  console.log(`${relative(projectRoot, file)}: ${sources.map((s) => s.name).join(", ")}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
