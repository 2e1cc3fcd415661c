import { z } from "zod";
import { listAuditSchema } from "@/server/audit/list-audit";
import { credentialsSchema } from "@/server/auth/credentials.shared";
import { quarantineParamsSchema, resolveQuarantineSchema } from "@/server/betting/quarantine";
import { betParamsSchema, cashOutSchema, listBetsSchema, placeBetSchema } from "@/server/betting/bets.shared";
import { bettingSwitchSchema } from "@/server/catalog/betting-switch";
import { createMatchSchema } from "@/server/catalog/create-match";
import { editOddsSchema, selectionParamsSchema } from "@/server/catalog/edit-odds";
import { matchParamsSchema } from "@/server/catalog/get-match";
import { marketParamsSchema } from "@/server/catalog/void-market";
import { matchSchema } from "@/server/catalog/match-root";
import { rescheduleMatchSchema } from "@/server/catalog/reschedule-match";
import type { ErrorCode } from "@/server/errors";
import { matchResultSchema } from "@/server/lifecycle/match-result.shared";
import { bigBetsQuerySchema } from "@/server/risk/liability";
import { setMaxLiabilitySchema } from "@/server/risk/set-max-liability";
import { findUsersSchema, setStakeFactorSchema, userParamsSchema } from "@/server/risk/stake-factors";
import { depositSchema } from "@/server/wallet/deposits.shared";
import { listTransactionsSchema } from "@/server/wallet/list-transactions";
import { exclusionSchema, setLimitsSchema } from "@/server/wallet/safer-gambling.shared";
import { withdrawalSchema } from "@/server/wallet/withdrawals.shared";
import {
  adminUserSchema,
  auditEntrySchema,
  betSchema,
  bigBetSchema,
  depositLimitsSchema,
  healthDownSchema,
  healthSchema,
  matchLiabilitySchema,
  partitionStatusSchema,
  quarantinedEntrySchema,
  selectionSchema,
  settlementStatusSchema,
  transactionSchema,
  userSchema,
  walletSchema,
} from "./response-schemas";

/**
 * The registry of the HTTP API: one entry per route and method, naming the schemas the route parses (imported from
 * where the route gets them) and what it answers. document.ts turns it into OpenAPI; the unit test holds it to the
 * route files, so a route without an entry here fails.
 */

/** Who may call: `signed-in` is any role; `metrics` is METRICS_TOKEN, or loopback when no token is set. */
export type Auth = "anonymous" | "signed-in" | "bettor" | "staff" | "metrics";

/** A body with its component name in the document. */
export type Named<S extends z.ZodType = z.ZodType> = { id: string; schema: S };

export type Answer = { description: string; body?: Named; contentType?: string };

export type Operation = {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** OpenAPI style: `/api/bets/{id}`. */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  auth: Auth;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: Named;
  answers: Record<number, Answer>;
  /** Codes beyond those the auth, the method and the input imply (document.ts adds those). */
  errors?: ErrorCode[];
  /** A staff action that bets are checked against: 202 with `inEffect: false` when committed but not yet in effect. */
  staffAction?: true;
};

const named = <S extends z.ZodType>(id: string, schema: S): Named<S> => ({ id, schema });

// Request bodies: the routes' own schemas.
const credentials = named("Credentials", credentialsSchema);

// Response bodies.
const session = named("UserAnswer", z.object({ user: userSchema }));
const match = named("Match", matchSchema);
const bet = named("BetAnswer", z.object({ bet: betSchema }));
const wallet = named("Wallet", walletSchema);
const deposited = named(
  "DepositAnswer",
  z.object({ deposit: z.object({ id: z.string(), amount: z.number().int() }), wallet: walletSchema }),
);

const withdrawn = named(
  "WithdrawalAnswer",
  z.object({ withdrawal: z.object({ id: z.string(), amount: z.number().int() }), wallet: walletSchema }),
);
const limits = named("DepositLimitsAnswer", z.object({ limits: depositLimitsSchema }));

const PAGE = "`nextCursor` is null on the last page; pass it as `cursor` for the next one.";

export const operations: Operation[] = [
  // ---- Auth
  {
    method: "POST",
    path: "/api/auth/register",
    tag: "Auth",
    summary: "Register a bettor and sign in",
    description: "Sets the session cookie, and trusts this browser for the account's sign-ins.",
    auth: "anonymous",
    body: credentials,
    answers: { 201: { description: "Registered and signed in.", body: session } },
    errors: ["EMAIL_TAKEN"],
  },
  {
    method: "POST",
    path: "/api/auth/login",
    tag: "Auth",
    summary: "Sign in",
    description:
      "Sets a new session cookie. Attempts are limited per address, per account and address, and per account (429 with Retry-After).",
    auth: "anonymous",
    body: credentials,
    answers: { 200: { description: "Signed in.", body: session } },
    errors: ["BAD_CREDENTIALS", "RATE_LIMITED", "ACCOUNT_EXCLUDED"],
  },
  {
    method: "POST",
    path: "/api/auth/logout",
    tag: "Auth",
    summary: "Sign out",
    description: "Revokes the session, if any. No body.",
    auth: "anonymous",
    answers: { 204: { description: "Signed out." } },
  },
  {
    method: "GET",
    path: "/api/auth/me",
    tag: "Auth",
    summary: "The signed-in user",
    auth: "signed-in",
    answers: { 200: { description: "The session's user.", body: session } },
  },

  // ---- Catalog
  {
    method: "GET",
    path: "/api/catalog",
    tag: "Catalog",
    summary: "Open, suspended and upcoming matches",
    description: "Served from the web instance's cache, kept current by the outbox.",
    auth: "anonymous",
    answers: { 200: { description: "The catalog, by kick-off.", body: named("Catalog", z.object({ matches: z.array(matchSchema) })) } },
  },
  {
    method: "GET",
    path: "/api/matches/{id}",
    tag: "Catalog",
    summary: "One match, with its markets and prices",
    auth: "anonymous",
    params: matchParamsSchema,
    answers: { 200: { description: "The match.", body: match } },
    errors: ["NOT_FOUND"],
  },
  {
    method: "GET",
    path: "/api/odds/stream",
    tag: "Catalog",
    summary: "Changes to the catalog, as Server-Sent Events",
    description:
      'One `data:` event per change: `{"type": "match", matchId, version, match}` (a Match) or `{"type": "betting", suspended, version}` (the kill switch). The first event is the kill switch as it stands when the stream opens; keep the higher `version`. A comment every 15 s keeps proxies from closing the stream.',
    auth: "anonymous",
    answers: { 200: { description: "An endless event stream.", contentType: "text/event-stream" } },
  },

  // ---- Wallet
  {
    method: "GET",
    path: "/api/wallet",
    tag: "Wallet",
    summary: "The bettor's balances",
    auth: "bettor",
    answers: { 200: { description: "The wallet.", body: wallet } },
    errors: ["NOT_FOUND"],
  },
  {
    method: "POST",
    path: "/api/wallet/deposits",
    tag: "Wallet",
    summary: "Deposit (simulated payment)",
    description: "Once per idempotency key: the same key and body again answer 200 with the same deposit.",
    auth: "bettor",
    body: named("Deposit", depositSchema),
    answers: {
      201: { description: "Deposited.", body: deposited },
      200: { description: "A replay of the key: the same deposit.", body: deposited },
    },
    errors: ["IDEMPOTENCY_KEY_REUSED", "DEPOSIT_LIMIT_EXCEEDED", "ACCOUNT_EXCLUDED", "NOT_FOUND"],
  },
  {
    method: "POST",
    path: "/api/wallet/withdrawals",
    tag: "Wallet",
    summary: "Withdraw",
    description:
      "Reserved from `available` atomically with bet acceptance, then written to the ledger, once per idempotency key: the same key and body again answer 200 with the same withdrawal. A 503 means the outcome is unknown: retry with the same key.",
    auth: "bettor",
    body: named("Withdraw", withdrawalSchema),
    answers: {
      201: { description: "Withdrawn.", body: withdrawn },
      200: { description: "A replay of the key: the same withdrawal.", body: withdrawn },
    },
    errors: ["INSUFFICIENT_FUNDS", "IDEMPOTENCY_KEY_REUSED", "NOT_FOUND", "UNAVAILABLE"],
  },
  {
    method: "GET",
    path: "/api/wallet/transactions",
    tag: "Wallet",
    summary: "Every movement of the bettor's money, newest first",
    description: `From the ledger, with the balance after each movement; \`amount\` is negative for money out. Stakes appear once their bets are written to PostgreSQL. ${PAGE}`,
    auth: "bettor",
    query: listTransactionsSchema,
    answers: {
      200: {
        description: "A page of transactions.",
        body: named("TransactionPage", z.object({ transactions: z.array(transactionSchema), nextCursor: z.string().nullable() })),
      },
    },
    errors: ["NOT_FOUND"],
  },
  {
    method: "GET",
    path: "/api/wallet/limits",
    tag: "Wallet",
    summary: "The bettor's deposit limits",
    description: "Per period (24 hours, 7 days, 30 days), the limit in force, the deposits it counts and any pending raise or removal.",
    auth: "bettor",
    answers: { 200: { description: "The limits.", body: limits } },
  },
  {
    method: "PUT",
    path: "/api/wallet/limits",
    tag: "Wallet",
    summary: "Set, lower, raise or remove deposit limits",
    description:
      "A lower limit (or a first one) applies at once; a higher one or a removal (null) only after 24 hours, shown as `pending`. A period left out stays as it is.",
    auth: "bettor",
    body: named("SetDepositLimits", setLimitsSchema),
    answers: { 200: { description: "The limits now.", body: limits } },
  },
  {
    method: "POST",
    path: "/api/account/exclusion",
    tag: "Wallet",
    summary: "Take a break or exclude yourself",
    description:
      "Every session of the bettor is revoked; until `excludedUntil` a login answers 403 ACCOUNT_EXCLUDED. Open bets are still settled and paid.",
    auth: "bettor",
    body: named("Exclusion", exclusionSchema),
    answers: {
      200: {
        description: "Excluded, and signed out everywhere.",
        body: named("ExclusionAnswer", z.object({ excludedUntil: z.iso.datetime({ offset: true }) })),
      },
    },
  },

  // ---- Bets
  {
    method: "POST",
    path: "/api/bets",
    tag: "Bets",
    summary: "Place a bet: a single, or an accumulator of 2 to 12 legs on different matches",
    description:
      "Acknowledged once durable in the write-behind queue (ACCEPTED), written to PostgreSQL later. A Redis error is 503: the outcome is unknown and a retry with the same key is safe. An accumulator's odds are the product of its legs' (shown rounded down), its potential return floor(stake x product); ODDS_CHANGED then lists the legs that moved.",
    auth: "bettor",
    body: named("PlaceBet", placeBetSchema),
    answers: {
      201: { description: "Accepted and durable.", body: bet },
      200: { description: "The same idempotency key and body again: the bet as it is now; nothing new is debited.", body: bet },
    },
    errors: [
      "IDEMPOTENCY_KEY_REUSED",
      "ODDS_CHANGED",
      "MARKET_SUSPENDED",
      "MATCH_CLOSED",
      "BETTING_SUSPENDED",
      "NOT_FOUND",
      "INSUFFICIENT_FUNDS",
      "STAKE_TOO_LOW",
      "STAKE_TOO_HIGH",
      "LIABILITY_LIMIT",
      "RATE_LIMITED",
      "UNAVAILABLE",
    ],
  },
  {
    method: "GET",
    path: "/api/bets",
    tag: "Bets",
    summary: "The bettor's own bets, newest first",
    description: PAGE,
    auth: "bettor",
    query: listBetsSchema,
    answers: {
      200: {
        description: "A page of bets.",
        body: named("BetPage", z.object({ bets: z.array(betSchema), nextCursor: z.string().nullable() })),
      },
    },
  },
  {
    method: "GET",
    path: "/api/bets/{id}",
    tag: "Bets",
    summary: "One of the bettor's own bets",
    description: "Another user's bet is 404, like a missing one.",
    auth: "bettor",
    params: betParamsSchema,
    answers: { 200: { description: "The bet.", body: named("Bet", betSchema) } },
    errors: ["NOT_FOUND"],
  },
  {
    method: "POST",
    path: "/api/bets/{id}/cash-out",
    tag: "Bets",
    summary: "Cash out a bet at the current offer",
    description:
      "`amount` is the offer the bettor saw (`cashOut.amount`). The amount is available at once; the cash-out reaches PostgreSQL after its bet, through the same ordered queue, and the payout never pays the bet. A replay of the key returns the same bet.",
    auth: "bettor",
    params: betParamsSchema,
    body: named("CashOut", cashOutSchema),
    answers: { 200: { description: "The bet, CASHED_OUT with payout = amount.", body: bet } },
    errors: ["NOT_FOUND", "CASH_OUT_CHANGED", "CASH_OUT_UNAVAILABLE", "IDEMPOTENCY_KEY_REUSED", "UNAVAILABLE"],
  },

  // ---- Back office
  {
    method: "POST",
    path: "/api/admin/matches",
    tag: "Back office",
    summary: "Create a match",
    description: 'Open, with one "Match result" market of three selections; it closes by itself at kick-off.',
    auth: "staff",
    body: named("CreateMatch", createMatchSchema),
    answers: { 201: { description: "The new match.", body: match } },
    errors: ["INVALID_STATE"],
  },
  {
    method: "PATCH",
    path: "/api/admin/matches/{id}",
    tag: "Back office",
    summary: "Move a match's kick-off, or set its liability cap",
    description:
      "`{startsAt, expectedVersion}` moves the kick-off (the automatic close follows it); `{maxLiability, expectedVersion}` sets the cap on any one selection's liability, in effect for bets before the answer. `expectedVersion` is the match's version as seen.",
    auth: "staff",
    params: matchParamsSchema,
    body: named("PatchMatch", z.union([rescheduleMatchSchema, setMaxLiabilitySchema])),
    answers: { 200: { description: "The match.", body: match } },
    errors: ["NOT_FOUND", "VERSION_CONFLICT", "INVALID_STATE"],
    staffAction: true,
  },
  {
    method: "GET",
    path: "/api/admin/matches/{id}/liability",
    tag: "Trader risk",
    summary: "A match's live liability per selection",
    description:
      "Summed over every partition's counters, which bet acceptance keeps: bets still in the write-behind queue count; a cash-out takes its bet out; the payout clears the match.",
    auth: "staff",
    params: matchParamsSchema,
    answers: { 200: { description: "The live figures.", body: named("MatchLiability", matchLiabilitySchema) } },
    errors: ["NOT_FOUND"],
  },
  {
    method: "GET",
    path: "/api/admin/big-bets",
    tag: "Trader risk",
    summary: "The newest big bets, live",
    description: "Bets with a stake of at least BIG_BET_STAKE, from the acceptance step, newest first (an extension of API.md).",
    auth: "staff",
    query: bigBetsQuerySchema,
    answers: { 200: { description: "The feed.", body: named("BigBets", z.object({ bets: z.array(bigBetSchema) })) } },
  },
  {
    method: "GET",
    path: "/api/admin/users",
    tag: "Trader risk",
    summary: "Find accounts by email",
    description: "Accounts whose email starts with `email` (case does not matter), at most 20.",
    auth: "staff",
    query: findUsersSchema,
    answers: { 200: { description: "The accounts.", body: named("AdminUsers", z.object({ users: z.array(adminUserSchema) })) } },
  },
  {
    method: "PATCH",
    path: "/api/admin/users/{id}",
    tag: "Trader risk",
    summary: "Set a bettor's stake factor",
    description: "Audited; scales the bettor's maximum stake from their next bet.",
    auth: "staff",
    params: userParamsSchema,
    body: named("SetStakeFactor", setStakeFactorSchema),
    answers: { 200: { description: "The account.", body: named("AdminUserAnswer", z.object({ user: adminUserSchema })) } },
    errors: ["NOT_FOUND"],
    staffAction: true,
  },
  {
    method: "PATCH",
    path: "/api/admin/selections/{id}",
    tag: "Back office",
    summary: "Change a price",
    description: "`expectedVersion` is the selection's version as seen; a stale one is 409 VERSION_CONFLICT with `current`.",
    auth: "staff",
    params: selectionParamsSchema,
    body: named("EditOdds", editOddsSchema),
    answers: {
      200: { description: "The new price, in effect for bets.", body: named("SelectionAnswer", z.object({ selection: selectionSchema })) },
    },
    errors: ["NOT_FOUND", "VERSION_CONFLICT", "INVALID_STATE"],
    staffAction: true,
  },
  ...(["suspend", "resume", "close"] as const).map((action): Operation => ({
    method: "POST",
    path: `/api/admin/matches/{id}/${action}`,
    tag: "Back office",
    summary: { suspend: "Suspend betting on a match", resume: "Resume betting on a match", close: "Close betting on a match" }[action],
    description:
      action === "close"
        ? "Appends a completion marker to every partition; the match becomes COMPLETE once every bet accepted before is in PostgreSQL. No body."
        : "No body.",
    auth: "staff",
    params: matchParamsSchema,
    answers: { 200: { description: "The match, the change in effect for bets.", body: match } },
    errors: ["NOT_FOUND", "INVALID_STATE"],
    staffAction: true,
  })),
  {
    method: "POST",
    path: "/api/admin/markets/{id}/void",
    tag: "Back office",
    summary: "Void one market (abandoned)",
    description: "It takes no more bets, and the payout returns the stakes of its bets whatever the result. Final. No body.",
    auth: "staff",
    params: marketParamsSchema,
    answers: { 200: { description: "The match, the market closed and voided, in effect for bets.", body: match } },
    errors: ["NOT_FOUND", "INVALID_STATE"],
    staffAction: true,
  },
  {
    method: "POST",
    path: "/api/admin/matches/{id}/result",
    tag: "Back office",
    summary: "Record or correct a closed match's result",
    description:
      "The final score settles every market by its rule; a winner selection only a match whose one market is the match result (else 400); void returns every stake. Corrections are allowed until the payout.",
    auth: "staff",
    params: matchParamsSchema,
    body: named("MatchResult", matchResultSchema),
    answers: { 200: { description: "The match with its result.", body: match } },
    errors: ["NOT_FOUND", "INVALID_STATE", "VALIDATION_FAILED"],
  },
  {
    method: "POST",
    path: "/api/admin/matches/{id}/settle",
    tag: "Back office",
    summary: "Pay out a match",
    description: "Queues the payout job; the match becomes SETTLED when it ends. No body.",
    auth: "staff",
    params: matchParamsSchema,
    answers: {
      202: { description: "The payout job is queued (or was already).", body: named("SettlementJob", z.object({ jobId: z.string() })) },
    },
    errors: ["NOT_FOUND", "INVALID_STATE", "MATCH_INCOMPLETE", "NO_RESULT", "BETS_QUARANTINED"],
  },
  {
    method: "GET",
    path: "/api/admin/matches/{id}/settlement",
    tag: "Back office",
    summary: "Settlement progress of a match",
    description: "Each partition's completion marker, the payout record and the payout job.",
    auth: "staff",
    params: matchParamsSchema,
    answers: { 200: { description: "The settlement status.", body: named("SettlementStatus", settlementStatusSchema) } },
    errors: ["NOT_FOUND"],
  },
  {
    method: "POST",
    path: "/api/admin/betting",
    tag: "Back office",
    summary: "The kill switch: suspend or resume all betting",
    auth: "staff",
    body: named("BettingSwitch", bettingSwitchSchema),
    answers: {
      200: { description: "The switch, in effect for bets.", body: named("BettingSwitchState", z.object({ suspended: z.boolean() })) },
    },
    staffAction: true,
  },
  {
    method: "GET",
    path: "/api/admin/write-behind",
    tag: "Back office",
    summary: "The write-behind queue: partitions and quarantined entries",
    description: "Quarantined entries are the ones PostgreSQL refused, unresolved first.",
    auth: "staff",
    answers: {
      200: {
        description: "Per partition, and the quarantine.",
        body: named(
          "WriteBehindStatus",
          z.object({ partitions: z.array(partitionStatusSchema), quarantine: z.array(quarantinedEntrySchema) }),
        ),
      },
    },
  },
  {
    method: "POST",
    path: "/api/admin/write-behind/quarantine/{partition}/{streamId}",
    tag: "Back office",
    summary: "Resolve a quarantined entry",
    description: "`record` writes it to PostgreSQL as the flusher would have; `refund` gives the bettor the stake back. Audited.",
    auth: "staff",
    params: quarantineParamsSchema,
    body: named("ResolveQuarantine", resolveQuarantineSchema),
    answers: { 200: { description: "The resolved entry.", body: named("QuarantineAnswer", z.object({ entry: quarantinedEntrySchema })) } },
    errors: ["NOT_FOUND", "INVALID_STATE"],
  },
  {
    method: "GET",
    path: "/api/admin/audit",
    tag: "Back office",
    summary: "The audit log, newest first",
    description: `Who did what, when, with the state before and after. \`action\` and \`entityId\` filter exactly. ${PAGE}`,
    auth: "staff",
    query: listAuditSchema,
    answers: {
      200: {
        description: "A page of entries.",
        body: named("AuditPage", z.object({ entries: z.array(auditEntrySchema), nextCursor: z.string().nullable() })),
      },
    },
  },

  // ---- Operations
  {
    method: "GET",
    path: "/api/health",
    tag: "Operations",
    summary: "Readiness: PostgreSQL, Redis and the workers",
    auth: "anonymous",
    answers: {
      200: { description: "All up.", body: named("Health", healthSchema) },
      503: {
        description: "Something is down: the same fields, and an UNAVAILABLE error naming what.",
        body: named("HealthDown", healthDownSchema),
      },
    },
  },
  {
    method: "GET",
    path: "/api/health/live",
    tag: "Operations",
    summary: "Liveness: the process answers",
    description: "Touches neither PostgreSQL nor Redis.",
    auth: "anonymous",
    answers: { 200: { description: "Alive.", body: named("Liveness", z.object({ status: z.literal("ok") })) } },
  },
  {
    method: "POST",
    path: "/api/health/live",
    tag: "Operations",
    summary: "A no-op through the route wrapper",
    description: "The baseline the bet benchmark compares POST /api/bets against. Reads no body, changes nothing.",
    auth: "anonymous",
    answers: { 204: { description: "Nothing done." } },
  },
  {
    method: "GET",
    path: "/api/metrics",
    tag: "Operations",
    summary: "Prometheus metrics",
    description: "Queue depth and age per partition, flush rate, cache hits and misses, outbox lag, wallet drift, quarantined entries.",
    auth: "metrics",
    answers: { 200: { description: "Prometheus text exposition.", contentType: "text/plain" } },
  },
  {
    method: "GET",
    path: "/api/openapi.json",
    tag: "Operations",
    summary: "This document",
    description: "Generated from the schemas the routes parse; public and cacheable.",
    auth: "anonymous",
    answers: { 200: { description: "The OpenAPI 3.1 document.", contentType: "application/json" } },
  },
];
