import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { createDatabase } from "./db";

export const migrationsFolder = fileURLToPath(new URL("../../drizzle/migrations", import.meta.url));

/** Applies drizzle-kit's SQL migrations in order; safe to run on every start. */
export async function runMigrations(databaseUrl: string): Promise<void> {
  const { db, client } = createDatabase(databaseUrl, { max: 1 });
  try {
    await migrate(db, { migrationsFolder });
  } finally {
    await client.end({ timeout: 5 });
  }
}
