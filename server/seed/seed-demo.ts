import { and, eq, inArray } from "drizzle-orm";
import { accounts, competitions, matches, sports, users } from "@/drizzle/schema";
import { hashPassword } from "@/server/auth/passwords";
import { registerUser } from "@/server/auth/register-user";
import type { UserRole } from "@/server/auth/credentials.shared";
import { insertMarkets } from "@/server/catalog/create-match";
import { marketSpecs, type ExtraMarketInput } from "@/server/catalog/markets.shared";
import { parseOdds } from "@/server/odds.shared";
import type { Deps } from "@/server/deps";
import type { Database } from "@/server/platform/db";
import { recordDeposit } from "@/server/wallet/record-deposit";
import { demoBettors, demoCatalog, demoPassword, demoStaff, demoStartingBalance } from "./demo-fixtures";

// The same key every run, so re-seeding never funds a bettor twice.
const SEED_DEPOSIT_KEY = "seed-starting-balance";

async function ensureUser(db: Database, email: string, role: UserRole): Promise<string> {
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (existing) return existing.id;
  return (await registerUser({ db }, { email, password: demoPassword, role })).id;
}

async function fund(db: Database, userId: string) {
  await recordDeposit({ db }, { userId, amount: demoStartingBalance, idempotencyKey: SEED_DEPOSIT_KEY });
}

/** Creates each fixture that is not there yet (matched by competition and teams), open for betting. */
async function ensureCatalog(db: Database, now: Date) {
  let created = 0;
  for (const { sport, competitions: comps } of demoCatalog) {
    const [sportRow] = await db
      .insert(sports)
      .values({ name: sport })
      .onConflictDoUpdate({ target: sports.name, set: { name: sport } })
      .returning();
    for (const comp of comps) {
      const [compRow] = await db
        .insert(competitions)
        .values({ sportId: sportRow!.id, name: comp.name })
        .onConflictDoUpdate({ target: [competitions.sportId, competitions.name], set: { name: comp.name } })
        .returning();
      for (const fixture of comp.fixtures) {
        const [existing] = await db
          .select({ id: matches.id })
          .from(matches)
          .where(and(eq(matches.competitionId, compRow!.id), eq(matches.home, fixture.home), eq(matches.away, fixture.away)));
        if (existing) continue;
        await db.transaction(async (tx) => {
          const startsAt = new Date(Math.ceil(now.getTime() / 3600_000) * 3600_000 + fixture.inHours * 3600_000);
          const [match] = await tx
            .insert(matches)
            .values({ competitionId: compRow!.id, home: fixture.home, away: fixture.away, startsAt, status: "OPEN" })
            .returning();
          const [home, draw, away] = fixture.odds.map(parseOdds) as [number, number, number];
          await insertMarkets(tx, match!.id, marketSpecs(fixture, { home, draw, away }, demoExtraMarkets(home, draw, away)));
        });
        created++;
      }
    }
  }
  return created;
}

/** A demo fixture's extra markets: double chance priced from its match result (5% margin), common totals. */
function demoExtraMarkets(home: number, draw: number, away: number): ExtraMarketInput[] {
  // Hundredths of the odds of "either": 1 / (1/a + 1/b), less the margin.
  const either = (a: number, b: number) => Math.max(101, Math.floor((0.95 * a * b) / (a + b)));
  return [
    { type: "TOTAL_GOALS", line: "2.5", odds: { over: 190, under: 190 } },
    { type: "BOTH_TEAMS_TO_SCORE", odds: { yes: 180, no: 195 } },
    { type: "DOUBLE_CHANCE", odds: { homeOrDraw: either(home, draw), homeOrAway: either(home, away), drawOrAway: either(draw, away) } },
  ];
}

/** Adds `count` funded load-test bettors (bettor-0001@example.com ...), sharing one password hash to seed fast. */
async function ensureLoadBettors(db: Database, count: number) {
  if (count <= 0) return;
  const emails = Array.from({ length: count }, (_, i) => `bettor-${String(i + 1).padStart(4, "0")}@example.com`);
  const passwordHash = await hashPassword(demoPassword);
  for (let i = 0; i < emails.length; i += 500) {
    const batch = emails.slice(i, i + 500);
    await db.transaction(async (tx) => {
      const inserted = await tx
        .insert(users)
        .values(batch.map((email) => ({ email, passwordHash })))
        .onConflictDoNothing({ target: users.email })
        .returning({ id: users.id });
      if (inserted.length > 0) await tx.insert(accounts).values(inserted.map((u) => ({ kind: "CUSTOMER" as const, userId: u.id })));
    });
  }
  const rows = await db.select({ id: users.id }).from(users).where(inArray(users.email, emails));
  for (const { id } of rows) await fund(db, id);
}

export type SeedOptions = { bettors?: number; now?: Date };

/** Idempotent: running it again changes nothing that is already there. */
export async function seedDemo({ db }: Pick<Deps, "db">, { bettors = 0, now = new Date() }: SeedOptions = {}) {
  for (const email of demoStaff) await ensureUser(db, email, "staff");
  for (const email of demoBettors) await fund(db, await ensureUser(db, email, "bettor"));
  const matchesCreated = await ensureCatalog(db, now);
  await ensureLoadBettors(db, bettors);
  return { matchesCreated };
}
