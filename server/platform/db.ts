import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "@/drizzle/schema";
import { existingSingleton, forgetSingleton, singleton } from "./singleton";
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

/** The process's pool. */
export function getDb(): Database {
  return singleton("db", () => createDatabase(getConfig().DATABASE_URL)).db;
}

export async function closeDb(): Promise<void> {
  await existingSingleton<ReturnType<typeof createDatabase>>("db")?.client.end({ timeout: 5 });
  forgetSingleton("db");
}
