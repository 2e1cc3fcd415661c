import { sql } from "drizzle-orm";
import { check, index, pgEnum, pgTable, smallint, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const userRole = pgEnum("user_role", ["bettor", "staff"]);

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull().unique(),
    passwordHash: text("password_hash").notNull(),
    role: userRole("role").notNull().default("bettor"),
    // Self-exclusion (API.md "Wallet and safer gambling"): until then the bettor can neither sign in nor deposit.
    excludedUntil: timestamp("excluded_until", { withTimezone: true }),
    // Set by staff (API.md "Trader risk"): the bettor's maximum stake is BET_MAX_STAKE x stakeFactor / 100.
    stakeFactorPercent: smallint("stake_factor_percent").notNull().default(100),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Emails are compared case-insensitively by storing them normalised; the check keeps every writer honest.
    check("users_stake_factor_range", sql`${t.stakeFactorPercent} BETWEEN 1 AND 100`),
    check("users_email_normalised", sql`${t.email} = lower(btrim(${t.email})) AND position('@' in ${t.email}) > 1`),
  ],
);

// Server-side sessions: the cookie carries a random token, the table keeps only its SHA-256,
// so a leaked database dump cannot be replayed as cookies.
export const sessions = pgTable(
  "sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("sessions_user_id_idx").on(t.userId), index("sessions_expires_at_idx").on(t.expiresAt)],
);
