import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { requiredEnv } from "@/test/support/api-client";
import { readSqlSources, statementsOf } from "./lib/sql-sources";

const sql = postgres(requiredEnv("DATABASE_URL"), { max: 1, onnotice: () => {} });
afterAll(() => sql.end({ timeout: 5 }));

const scratch = "sql_source_check";

/** Every function and trigger of a schema, as PostgreSQL prints it, named as if the schema were public. */
async function definitions(db: postgres.Sql, schema: string): Promise<Record<string, string>> {
  const rows = await db<{ name: string; definition: string }[]>`
    select 'function ' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' as name, pg_get_functiondef(p.oid) as definition
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = ${schema} and p.prokind in ('f', 'p')
      and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
    union all
    select 'trigger ' || t.tgname || ' on ' || c.relname, pg_get_triggerdef(t.oid)
    from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${schema} and not t.tgisinternal`;
  return Object.fromEntries(rows.map((r) => [r.name, r.definition.replaceAll(`${schema}.`, "public.")]));
}

describe("SQL as source (drizzle/sql)", () => {
  it("the database runs exactly the functions and triggers the source files define", async () => {
    const db = await sql.reserve();
    try {
      await db`begin`;
      const installed = await definitions(db, "public");
      // The source files run into a scratch schema (empty copies of the tables that carry triggers), so PostgreSQL
      // prints both sides alike; the transaction is rolled back.
      await db.unsafe(`create schema ${scratch}`);
      const tables = await db<{ name: string }[]>`
        select distinct c.relname as name from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and not t.tgisinternal`;
      for (const { name } of tables) await db.unsafe(`create table ${scratch}.${name} (like public.${name})`);
      await db.unsafe(`set local search_path = ${scratch}, public`);
      for (const source of readSqlSources()) {
        for (const statement of statementsOf(source.text)) await db.unsafe(statement);
      }
      const fromSources = await definitions(db, scratch);
      expect(
        fromSources,
        "the database differs from drizzle/sql/: a source file changed without a migration (npm run db:sql-migration -- <name>), or a migration changed a function or trigger that has no source file",
      ).toEqual(installed);
    } finally {
      await db`rollback`;
      db.release();
    }
  });
});
