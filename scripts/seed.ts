// npm run seed [-- --bettors N]: idempotent demo data against DATABASE_URL (or the private dev cluster).
import { parseArgs } from "node:util";
import { z } from "zod";
import { createDatabase } from "@/server/platform/db";
import { seedDemo } from "@/server/seed/seed-demo";
import { profiles } from "./lib/local-services";
import { provideServices } from "./lib/stack";

const { values } = parseArgs({ options: { bettors: { type: "string", default: "0" } } });
const bettors = z.coerce.number().int().min(0).max(100_000).parse(values.bettors);

const services = await provideServices(profiles.dev, { name: "bookmaker" });
const { db, client } = createDatabase(services.databaseUrl, { max: 2 });
try {
  const result = await seedDemo({ db }, { bettors });
  console.log(`Seeded: ${result.matchesCreated} new matches, ${bettors} load-test bettors ensured.`);
} finally {
  await client.end();
  await services.stop();
}
