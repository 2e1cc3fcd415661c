import { afterAll } from "vitest";
import { createDatabase } from "@/server/platform/db";
import { requiredEnv } from "./api-client";

/** A connection to the run's own database, closed after the test file. */
export function connectTestDatabase() {
  const { db, client } = createDatabase(requiredEnv("DATABASE_URL"), { max: 3 });
  afterAll(() => client.end({ timeout: 5 }));
  return db;
}
