import { sql } from "drizzle-orm";
import { marketTypes, selectionOutcomes } from "../../server/catalog/market-kinds.shared";
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  index,
  integer,
  numeric,
  pgEnum,
  pgTable,
  smallint,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";

export const matchStatus = pgEnum("match_status", ["SCHEDULED", "OPEN", "SUSPENDED", "CLOSED"]);
export const settlementState = pgEnum("settlement_state", ["INCOMPLETE", "COMPLETE", "SETTLED"]);
export const marketStatus = pgEnum("market_status", ["OPEN", "SUSPENDED", "CLOSED"]);
export const marketType = pgEnum("market_type", marketTypes);
export const selectionOutcome = pgEnum("selection_outcome", selectionOutcomes);

export const sports = pgTable("sports", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
});

export const competitions = pgTable(
  "competitions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sportId: uuid("sport_id")
      .notNull()
      .references(() => sports.id),
    name: text("name").notNull(),
  },
  (t) => [unique("competitions_sport_name_key").on(t.sportId, t.name)],
);

export const matches = pgTable(
  "matches",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    competitionId: uuid("competition_id")
      .notNull()
      .references(() => competitions.id),
    home: text("home").notNull(),
    away: text("away").notNull(),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    status: matchStatus("status").notNull().default("SCHEDULED"),
    settlementState: settlementState("settlement_state").notNull().default("INCOMPLETE"),
    resultSelectionId: uuid("result_selection_id").references((): AnyPgColumn => selections.id),
    resultVoid: boolean("result_void").notNull().default(false),
    // The final score, from which every market is settled (a winner selection is the older, match-result-only way).
    resultHomeScore: smallint("result_home_score"),
    resultAwayScore: smallint("result_away_score"),
    // The cap on any one selection's live liability, in minor units; null: MAX_LIABILITY_PER_MATCH (I14).
    maxLiability: bigint("max_liability", { mode: "number" }),
    // Bumped on every change to the match root (status, result, any of its prices): caches compare it.
    version: integer("version").notNull().default(1),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    // When the payout began (settle_match's first transaction): from then on the result and the markets are final, and
    // a payout run again resumes where the last one stopped. settled_at is when it ended.
    payoutStartedAt: timestamp("payout_started_at", { withTimezone: true }),
    settledAt: timestamp("settled_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("matches_fixture_key").on(t.competitionId, t.home, t.away, t.startsAt),
    index("matches_starts_at_idx").on(t.startsAt),
    check("matches_distinct_teams", sql`${t.home} <> ${t.away}`),
    check("matches_version_positive", sql`${t.version} >= 1`),
    check("matches_max_liability_range", sql`${t.maxLiability} BETWEEN 0 AND 9000000000`),
    check("matches_one_result", sql`num_nonnulls(nullif(${t.resultVoid}, false), ${t.resultSelectionId}, ${t.resultHomeScore}) <= 1`),
    check(
      "matches_score_whole",
      sql`(${t.resultHomeScore} IS NULL) = (${t.resultAwayScore} IS NULL) AND ${t.resultHomeScore} >= 0 AND ${t.resultAwayScore} >= 0`,
    ),
    // Only a closed match can complete, and only a completed match with a result can be settled.
    check("matches_complete_only_when_closed", sql`${t.settlementState} = 'INCOMPLETE' OR ${t.status} = 'CLOSED'`),
    check(
      "matches_settled_has_result",
      sql`${t.settlementState} <> 'SETTLED' OR ${t.resultVoid} OR ${t.resultSelectionId} IS NOT NULL OR ${t.resultHomeScore} IS NOT NULL`,
    ),
    check("matches_payout_started_when_complete", sql`${t.payoutStartedAt} IS NULL OR ${t.settlementState} <> 'INCOMPLETE'`),
    check("matches_closed_at_iff_closed", sql`(${t.status} = 'CLOSED') = (${t.closedAt} IS NOT NULL)`),
  ],
);

export const markets = pgTable(
  "markets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    matchId: uuid("match_id")
      .notNull()
      .references(() => matches.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    type: marketType("type").notNull().default("MATCH_RESULT"),
    // Total goals only: a half line ("2.5"), so a bet never pushes.
    line: numeric("line", { precision: 3, scale: 1 }),
    status: marketStatus("status").notNull().default("OPEN"),
    // Abandoned on its own (status CLOSED too): the payout returns the stakes of its bets.
    voided: boolean("voided").notNull().default(false),
    position: smallint("position").notNull().default(0),
  },
  (t) => [
    unique("markets_match_name_key").on(t.matchId, t.name),
    check("markets_line_iff_total_goals", sql`(${t.type} = 'TOTAL_GOALS') = (${t.line} IS NOT NULL)`),
    check("markets_half_line", sql`${t.line} IS NULL OR (${t.line} > 0 AND mod(${t.line} * 2, 2) = 1)`),
    check("markets_voided_closed", sql`NOT ${t.voided} OR ${t.status} = 'CLOSED'`),
  ],
);

export const selections = pgTable(
  "selections",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    marketId: uuid("market_id")
      .notNull()
      .references(() => markets.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    // What the selection backs, which decides it from the score (selectionWins in markets.shared.ts).
    outcome: selectionOutcome("outcome").notNull(),
    // Decimal odds in hundredths: 2.10 is 210. Odds of 1.00 or less would be a guaranteed loss for the bettor.
    odds: integer("odds").notNull(),
    version: integer("version").notNull().default(1),
    position: smallint("position").notNull().default(0),
  },
  (t) => [
    unique("selections_market_name_key").on(t.marketId, t.name),
    unique("selections_market_outcome_key").on(t.marketId, t.outcome),
    check("selections_odds_range", sql`${t.odds} BETWEEN 101 AND 100000`),
    check("selections_version_positive", sql`${t.version} >= 1`),
  ],
);
