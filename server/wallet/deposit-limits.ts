import { and, eq, gt, sql } from "drizzle-orm";
import { depositLimits, deposits, users } from "@/drizzle/schema";
import type { Deps } from "@/server/deps";
import { AppError } from "@/server/errors";
import type { DbOrTx } from "@/server/platform/db";
import {
  LIMIT_COOLING_OFF_MS,
  LIMIT_PERIODS,
  LIMIT_WINDOW_MS,
  type DepositLimits,
  type LimitPeriod,
  type SetLimitsInput,
} from "./safer-gambling.shared";

/** One period's limit as stored: in force, and a raise or removal waiting for its time (amount null: removal). */
export type LimitState = { amount: number | null; pendingAmount: number | null; pendingEffectiveAt: Date | null };

const NO_LIMIT: LimitState = { amount: null, pendingAmount: null, pendingEffectiveAt: null };
const dbPeriod = { daily: "DAILY", weekly: "WEEKLY", monthly: "MONTHLY" } as const satisfies Record<LimitPeriod, string>;

/** The limit at `now`: a pending change whose time has come is in force, without anyone having to write it. */
export function limitAt(state: LimitState, now: Date): LimitState {
  if (state.pendingEffectiveAt && state.pendingEffectiveAt <= now) return { ...NO_LIMIT, amount: state.pendingAmount };
  return state;
}

/**
 * A bettor asks for `wanted` (null: no limit). A lower limit, or a first one, applies at once and drops any pending
 * raise; a higher one or a removal waits LIMIT_COOLING_OFF_MS (asking again for what is already pending keeps its
 * time, so the wait cannot be restarted by accident, nor shortened).
 */
export function changeLimit(state: LimitState, wanted: number | null, now: Date): LimitState {
  const current = limitAt(state, now);
  if (wanted !== null && (current.amount === null || wanted <= current.amount)) return { ...NO_LIMIT, amount: wanted };
  if (current.amount === null) return NO_LIMIT;
  if (current.pendingEffectiveAt && current.pendingAmount === wanted) return current;
  return { amount: current.amount, pendingAmount: wanted, pendingEffectiveAt: new Date(now.getTime() + LIMIT_COOLING_OFF_MS) };
}

const sameState = (a: LimitState, b: LimitState) =>
  a.amount === b.amount && a.pendingAmount === b.pendingAmount && a.pendingEffectiveAt?.getTime() === b.pendingEffectiveAt?.getTime();

async function readStates(db: DbOrTx, userId: string): Promise<Record<LimitPeriod, LimitState>> {
  const rows = await db.select().from(depositLimits).where(eq(depositLimits.userId, userId));
  return Object.fromEntries(
    LIMIT_PERIODS.map((period) => {
      const row = rows.find((r) => r.period === dbPeriod[period]);
      return [
        period,
        row ? { amount: row.amount, pendingAmount: row.pendingAmount, pendingEffectiveAt: row.pendingEffectiveAt } : NO_LIMIT,
      ];
    }),
  ) as Record<LimitPeriod, LimitState>;
}

/** The bettor's deposits in each window ending at `now`. */
async function depositedWithin(db: DbOrTx, userId: string, now: Date): Promise<Record<LimitPeriod, number>> {
  const since = (period: LimitPeriod) => new Date(now.getTime() - LIMIT_WINDOW_MS[period]);
  const sumSince = (period: LimitPeriod) =>
    sql<string>`coalesce(sum(${deposits.amount}) filter (where ${deposits.createdAt} > ${since(period).toISOString()}), 0)::text`;
  const [row] = await db
    .select({ daily: sumSince("daily"), weekly: sumSince("weekly"), monthly: sumSince("monthly") })
    .from(deposits)
    .where(and(eq(deposits.userId, userId), gt(deposits.createdAt, since("monthly"))));
  return { daily: Number(row?.daily ?? 0), weekly: Number(row?.weekly ?? 0), monthly: Number(row?.monthly ?? 0) };
}

async function limitsView(db: DbOrTx, userId: string, now: Date): Promise<DepositLimits> {
  const states = await readStates(db, userId);
  const used = await depositedWithin(db, userId, now);
  return Object.fromEntries(
    LIMIT_PERIODS.map((period) => {
      const state = limitAt(states[period], now);
      if (state.amount === null) return [period, null];
      const pending = state.pendingEffectiveAt
        ? { amount: state.pendingAmount, effectiveAt: state.pendingEffectiveAt.toISOString() }
        : null;
      return [period, { amount: state.amount, used: used[period], pending }];
    }),
  ) as DepositLimits;
}

/** GET /api/wallet/limits. */
export async function getDepositLimits({ db }: Pick<Deps, "db">, { userId, now = new Date() }: { userId: string; now?: Date }) {
  return { limits: await limitsView(db, userId, now) };
}

/**
 * Locks the bettor's row for the rest of the transaction: deposits, limit changes and self-exclusion of one bettor
 * then happen one after another, so two deposits can never both fit under what is left of a limit. Returns the
 * end of their exclusion, if any.
 */
export async function lockBettor(tx: DbOrTx, userId: string): Promise<{ excludedUntil: Date | null }> {
  const [row] = await tx.select({ excludedUntil: users.excludedUntil }).from(users).where(eq(users.id, userId)).for("update");
  if (!row) throw new AppError("NOT_FOUND", "This user has no wallet.");
  return row;
}

/** PUT /api/wallet/limits: writes only the periods that change. */
export async function setDepositLimits(
  { db }: Pick<Deps, "db">,
  { userId, changes, now = new Date() }: { userId: string; changes: SetLimitsInput; now?: Date },
) {
  return db.transaction(async (tx) => {
    await lockBettor(tx, userId);
    const states = await readStates(tx, userId);
    for (const period of LIMIT_PERIODS) {
      const wanted = changes[period];
      if (wanted === undefined) continue;
      const next = changeLimit(states[period], wanted, now);
      if (sameState(next, states[period])) continue;
      await tx
        .insert(depositLimits)
        .values({ userId, period: dbPeriod[period], ...next, updatedAt: now })
        .onConflictDoUpdate({ target: [depositLimits.userId, depositLimits.period], set: { ...next, updatedAt: now } });
    }
    return { limits: await limitsView(tx, userId, now) };
  });
}

/**
 * Inside the deposit's transaction, with the bettor's row locked (lockBettor): refuses an excluded bettor, and a
 * deposit that would take the deposits of any window above the limit in force (422 with `remaining`, the most still
 * allowed).
 */
export async function checkDepositAllowed(
  tx: DbOrTx,
  { userId, amount, now, excludedUntil }: { userId: string; amount: number; now: Date; excludedUntil: Date | null },
) {
  if (excludedUntil && excludedUntil > now)
    throw new AppError("ACCOUNT_EXCLUDED", "Your account is excluded from gambling for now.", {
      excludedUntil: excludedUntil.toISOString(),
    });
  const limits = await limitsView(tx, userId, now);
  const left = LIMIT_PERIODS.flatMap((period) => {
    const limit = limits[period];
    return limit ? [Math.max(0, limit.amount - limit.used)] : [];
  });
  if (left.length === 0) return;
  const remaining = Math.min(...left);
  if (amount > remaining)
    throw new AppError(
      "DEPOSIT_LIMIT_EXCEEDED",
      remaining === 0 ? "You have reached your deposit limit." : "This deposit would take you over your deposit limit.",
      { remaining },
    );
}
