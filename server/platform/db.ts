import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "@/drizzle/schema";
import { getConfig } from "@/server/config";

export type Database = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql };
/** A database handle or an open transaction: use cases accept either. */
export type DbOrTx = Database | Parameters<Parameters<Database["transaction"]>[0]>[0];

export function createDatabase(url: string, options: { max?: number } = {}) {
  const client = postgres(url, {
    max: options.max ?? 10,
    connect_timeout: 5,
    onnotice: () => {},
  });
  return { db: drizzle(client, { schema }), client };
}

// One pool per process, kept on globalThis so Next.js dev reloads do not leak connections.
const globalForDb = globalThis as unknown as { bookmakerDb?: ReturnType<typeof createDatabase> };

export function getDb(): Database {
  globalForDb.bookmakerDb ??= createDatabase(getConfig().DATABASE_URL);
  return globalForDb.bookmakerDb.db;
}

export async function closeDb(): Promise<void> {
  await globalForDb.bookmakerDb?.client.end({ timeout: 5 });
  globalForDb.bookmakerDb = undefined;
}
