import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  check,
  index,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./users";

/**
 * Double-entry ledger. Every movement of money is one row that takes `amount` from one account and gives it to
 * another, so debits equal credits by construction. Balances are maintained by a trigger on insert
 * (drizzle/sql/ledger.sql), entries are append-only, and customer balances can never go below zero.
 *
 *   CASH      the outside world: deposits move money CASH -> CUSTOMER, so -CASH = deposits - withdrawals
 *   CUSTOMER  one per bettor, the balance shown as "balance" (>= 0)
 *   STAKES    stakes of recorded, unsettled bets ("stakes in flight")
 *   HOUSE     the house result (winnings paid out and stakes lost)
 */
export const accountKind = pgEnum("account_kind", ["CASH", "CUSTOMER", "STAKES", "HOUSE"]);

export const ledgerEntryKind = pgEnum("ledger_entry_kind", [
  "DEPOSIT",
  "WITHDRAWAL",
  "STAKE",
  "STAKE_RETURN",
  "STAKE_LOST",
  "WINNINGS",
  "CASH_OUT_STAKE",
  "CASH_OUT",
]);

export const accounts = pgTable(
  "accounts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: accountKind("kind").notNull(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "restrict" }),
    currency: text("currency").notNull().default("EUR"),
    balance: bigint("balance", { mode: "number" }).notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("accounts_customer_user_idx")
      .on(t.userId)
      .where(sql`${t.kind} = 'CUSTOMER'`),
    uniqueIndex("accounts_house_kind_idx")
      .on(t.kind)
      .where(sql`${t.kind} <> 'CUSTOMER'`),
    check("accounts_customer_has_user", sql`(${t.kind} = 'CUSTOMER') = (${t.userId} IS NOT NULL)`),
    check("accounts_customer_non_negative", sql`${t.kind} <> 'CUSTOMER' OR ${t.balance} >= 0`),
    check("accounts_stakes_non_negative", sql`${t.kind} <> 'STAKES' OR ${t.balance} >= 0`),
  ],
);

export const ledgerEntries = pgTable(
  "ledger_entries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    kind: ledgerEntryKind("kind").notNull(),
    // What caused the movement (a deposit id, a bet id); unique per kind so a retry can never move money twice.
    reference: text("reference").notNull(),
    // Both name existing accounts, checked once per statement by the ledger's trigger rather than by foreign keys
    // (one lookup and lock per row): drizzle/sql/ledger.sql, ledger_entries_apply and accounts_referenced.
    fromAccountId: uuid("from_account_id").notNull(),
    toAccountId: uuid("to_account_id").notNull(),
    amount: bigint("amount", { mode: "number" }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("ledger_entries_kind_reference_key").on(t.kind, t.reference),
    index("ledger_entries_from_idx").on(t.fromAccountId),
    index("ledger_entries_to_idx").on(t.toAccountId),
    check("ledger_entries_amount_positive", sql`${t.amount} > 0`),
    check("ledger_entries_distinct_accounts", sql`${t.fromAccountId} <> ${t.toAccountId}`),
  ],
);

export const deposits = pgTable(
  "deposits",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    amount: bigint("amount", { mode: "number" }).notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("deposits_user_idempotency_key").on(t.userId, t.idempotencyKey),
    check("deposits_amount_range", sql`${t.amount} BETWEEN 1 AND 1000000`),
    // The deposit limits sum a bettor's deposits of the last 24 hours, 7 days and 30 days.
    index("deposits_user_created_idx").on(t.userId, t.createdAt),
  ],
);

/**
 * Withdrawals, once per (user, idempotency key). The row is the arbiter between the web process that reserved the
 * money in Redis and the repair job (server/wallet/withdrawals.ts): whichever inserts it first decides whether the
 * withdrawal happened (RECORDED, with its WITHDRAWAL ledger entry) or not (CANCELLED, the reservation given back).
 */
export const withdrawalStatus = pgEnum("withdrawal_status", ["RECORDED", "CANCELLED"]);

export const withdrawals = pgTable(
  "withdrawals",
  {
    // Chosen by the web process when it reserves the money in Redis, so a crashed reservation names its row.
    id: uuid("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    amount: bigint("amount", { mode: "number" }).notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    status: withdrawalStatus("status").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("withdrawals_user_idempotency_key").on(t.userId, t.idempotencyKey),
    check("withdrawals_amount_range", sql`${t.amount} BETWEEN 1 AND 1000000000`),
  ],
);

/**
 * A bettor's deposit limit per period (RTS 12): `amount` is in force; a raise or a removal waits in `pending_*`
 * until `pending_effective_at` (24 hours after it was asked for); `pending_amount` null with a time is a removal.
 */
export const depositLimitPeriod = pgEnum("deposit_limit_period", ["DAILY", "WEEKLY", "MONTHLY"]);

export const depositLimits = pgTable(
  "deposit_limits",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    period: depositLimitPeriod("period").notNull(),
    amount: bigint("amount", { mode: "number" }),
    pendingAmount: bigint("pending_amount", { mode: "number" }),
    pendingEffectiveAt: timestamp("pending_effective_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.period] }),
    check("deposit_limits_amount_positive", sql`${t.amount} IS NULL OR ${t.amount} > 0`),
    check("deposit_limits_pending_amount_positive", sql`${t.pendingAmount} IS NULL OR ${t.pendingAmount} > 0`),
    check("deposit_limits_pending_has_time", sql`${t.pendingAmount} IS NULL OR ${t.pendingEffectiveAt} IS NOT NULL`),
  ],
);
