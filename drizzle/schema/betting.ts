import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { matches, selections } from "./catalog";
import { users } from "./users";

// ACCEPTED exists only in the Redis write-behind log; a row in PostgreSQL is at least RECORDED.
export const betStatus = pgEnum("bet_status", ["RECORDED", "WON", "LOST", "VOID", "CASHED_OUT"]);
export const betType = pgEnum("bet_type", ["SINGLE", "ACCUMULATOR"]);
export const legResult = pgEnum("leg_result", ["OPEN", "WON", "LOST", "VOID"]);

export const bets = pgTable(
  "bets",
  {
    // Assigned at acceptance in Redis, so the flusher's insert is idempotent (ON CONFLICT DO NOTHING).
    id: uuid("id").primaryKey(),
    reference: text("reference").notNull().unique(),
    // The user, selection and match exist and stay: checked once per insert statement, not by foreign keys (one
    // lookup and lock per row and key): drizzle/sql/bet_references.sql.
    userId: uuid("user_id").notNull(),
    type: betType("type").notNull().default("SINGLE"),
    // A single's selection and match; an accumulator has neither, its legs are in bet_legs.
    selectionId: uuid("selection_id"),
    matchId: uuid("match_id"),
    stake: bigint("stake", { mode: "number" }).notNull(),
    // A single's odds; an accumulator's combined odds, rounded down (its payout comes from its legs' odds).
    odds: integer("odds").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    status: betStatus("status").notNull().default("RECORDED"),
    partition: smallint("partition").notNull(),
    streamId: text("stream_id").notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }).notNull(),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
    settledAt: timestamp("settled_at", { withTimezone: true }),
    payout: bigint("payout", { mode: "number" }),
  },
  (t) => [
    unique("bets_user_idempotency_key").on(t.userId, t.idempotencyKey),
    index("bets_user_accepted_idx").on(t.userId, t.acceptedAt),
    index("bets_match_idx").on(t.matchId),
    check("bets_stake_positive", sql`${t.stake} > 0`),
    check("bets_odds_range", sql`${t.odds} >= 101 AND (${t.type} = 'ACCUMULATOR' OR ${t.odds} <= 100000)`),
    check("bets_single_has_selection", sql`(${t.type} = 'SINGLE') = (${t.selectionId} IS NOT NULL AND ${t.matchId} IS NOT NULL)`),
    check("bets_settled_fields", sql`(${t.status} = 'RECORDED') = (${t.settledAt} IS NULL AND ${t.payout} IS NULL)`),
    check(
      "bets_payout_by_status",
      sql`${t.payout} IS NULL
        OR (${t.status} = 'LOST' AND ${t.payout} = 0)
        OR (${t.status} = 'VOID' AND ${t.payout} = ${t.stake})
        OR (${t.status} = 'WON' AND ${t.type} = 'ACCUMULATOR' AND ${t.payout} >= ${t.stake})
        OR (${t.status} = 'WON' AND ${t.payout} = (${t.stake} * ${t.odds}) / 100)
        OR (${t.status}::text = 'CASHED_OUT' AND ${t.payout} >= 0)`,
    ),
  ],
);

// An accumulator's legs, each decided by its own match's payout (settle_match); the bet is settled by the payout
// that decides its last leg, or lost at the first lost leg.
export const betLegs = pgTable(
  "bet_legs",
  {
    betId: uuid("bet_id")
      .notNull()
      .references(() => bets.id),
    position: smallint("position").notNull(),
    selectionId: uuid("selection_id")
      .notNull()
      .references(() => selections.id),
    matchId: uuid("match_id")
      .notNull()
      .references(() => matches.id),
    odds: integer("odds").notNull(),
    result: legResult("result").notNull().default("OPEN"),
  },
  (t) => [
    primaryKey({ columns: [t.betId, t.position] }),
    unique("bet_legs_one_per_match").on(t.betId, t.matchId),
    index("bet_legs_match_idx").on(t.matchId),
    check("bet_legs_odds_range", sql`${t.odds} BETWEEN 101 AND 100000`),
  ],
);

// Where the flusher got to in each partition's stream; the fencing token rejects a flusher whose lease was lost.
export const writeBehindPartitions = pgTable(
  "write_behind_partitions",
  {
    partition: smallint("partition").primaryKey(),
    lastStreamId: text("last_stream_id").notNull().default("0-0"),
    fencingToken: bigint("fencing_token", { mode: "number" }).notNull().default(0),
    flushedCount: bigint("flushed_count", { mode: "number" }).notNull().default(0),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("write_behind_partitions_partition_range", sql`${t.partition} >= 0`)],
);

// One row per (match, partition) once that partition's end-of-match marker has been applied in order.
export const completionMarkers = pgTable(
  "completion_markers",
  {
    matchId: uuid("match_id")
      .notNull()
      .references(() => matches.id),
    partition: smallint("partition").notNull(),
    streamId: text("stream_id").notNull(),
    appliedAt: timestamp("applied_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.matchId, t.partition] })],
);

// What settle_match (drizzle/sql/settle_match.sql, the payout) did for a match: one row, written in its last
// transaction with the sums of its chunks' rows.
export const settlements = pgTable(
  "settlements",
  {
    matchId: uuid("match_id")
      .primaryKey()
      .references(() => matches.id),
    winnerSelectionId: uuid("winner_selection_id").references(() => selections.id),
    isVoid: boolean("is_void").notNull(),
    homeScore: smallint("home_score"),
    awayScore: smallint("away_score"),
    betsSettled: integer("bets_settled").notNull(),
    won: integer("won").notNull(),
    lost: integer("lost").notNull(),
    voided: integer("voided").notNull(),
    stakes: bigint("stakes", { mode: "number" }).notNull(),
    payouts: bigint("payouts", { mode: "number" }).notNull(),
    settledBy: uuid("settled_by").references(() => users.id),
    settledAt: timestamp("settled_at", { withTimezone: true }).notNull().defaultNow(),
    // When the Redis idempotency records of this match's bets were dropped (server/betting/prune-idempotency.ts).
    idempotencyPrunedAt: timestamp("idempotency_pruned_at", { withTimezone: true }),
  },
  (t) => [check("settlements_counts", sql`${t.betsSettled} = ${t.won} + ${t.lost} + ${t.voided}`)],
);

// One row per committed chunk of a payout (settle_match), written in the chunk's transaction: what it settled. The
// settlements row sums them, so a payout resumed after a crash still counts every bet once.
export const settlementChunks = pgTable(
  "settlement_chunks",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    matchId: uuid("match_id")
      .notNull()
      .references(() => matches.id),
    betsSettled: integer("bets_settled").notNull(),
    won: integer("won").notNull(),
    lost: integer("lost").notNull(),
    voided: integer("voided").notNull(),
    stakes: bigint("stakes", { mode: "number" }).notNull(),
    payouts: bigint("payouts", { mode: "number" }).notNull(),
    // The chunk's transaction start and the end of its work: its length is how long it held its bets and the accounts.
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true })
      .notNull()
      .default(sql`clock_timestamp()`),
  },
  (t) => [
    index("settlement_chunks_match_idx").on(t.matchId),
    check("settlement_chunks_counts", sql`${t.betsSettled} = ${t.won} + ${t.lost} + ${t.voided}`),
  ],
);

export const quarantineResolution = pgEnum("quarantine_resolution", ["RECORDED", "REFUNDED"]);

/**
 * Log entries PostgreSQL refused for good (a data or constraint error), set aside by the flusher so the rest of
 * the partition flows (I9). Until staff resolve one, its stake stays reserved in Redis and the payout of its match
 * is refused. The raw entry is JSON text, not jsonb: jsonb refuses "\u0000", the very kind of value that lands here.
 * The id columns hold the entry's values when they are well-formed UUIDs, else NULL.
 */
export const quarantinedEntries = pgTable(
  "quarantined_entries",
  {
    partition: smallint("partition").notNull(),
    streamId: text("stream_id").notNull(),
    entry: text("entry").notNull(),
    error: text("error").notNull(),
    errorCode: text("error_code"),
    betId: uuid("bet_id"),
    userId: uuid("user_id"),
    matchId: uuid("match_id"),
    stake: bigint("stake", { mode: "number" }),
    quarantinedAt: timestamp("quarantined_at", { withTimezone: true }).notNull().defaultNow(),
    resolution: quarantineResolution("resolution"),
    resolvedBy: uuid("resolved_by").references(() => users.id),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.partition, t.streamId] }),
    index("quarantined_entries_unresolved_idx")
      .on(t.matchId)
      .where(sql`${t.resolution} IS NULL`),
    check("quarantined_entries_resolved_fields", sql`(${t.resolution} IS NULL) = (${t.resolvedAt} IS NULL)`),
  ],
);
