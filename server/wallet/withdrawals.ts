import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { accounts, ledgerEntries, withdrawals } from "@/drizzle/schema";
import type { Deps } from "@/server/deps";
import { AppError } from "@/server/errors";
import type { DbOrTx } from "@/server/platform/db";
import { LuaScript } from "@/server/platform/lua-script";
import { allPartitions, partitionOfUser, partitionTag } from "@/server/platform/partitions";
import { walletKeys } from "@/server/platform/redis-keys";
import { replicatedScripts } from "@/server/platform/replication";
import { findCustomerAccount } from "./get-balance";
import type { WithdrawalInput } from "./withdrawals.shared";

/**
 * Withdrawals (I5, I15), three steps, each safe to repeat:
 *   1. reserve in Redis, in the bettor's partition, by the same kind of atomic script as bet acceptance: available
 *      >= amount, then available -= amount, withdrawing += amount, and the reservation recorded under
 *      "<user>:<idempotency key>" in the partition's withdrawals hash; acknowledged only once a replica holds it
 *      (WAIT), so a failover cannot bring back money PostgreSQL is about to pay out;
 *   2. the withdrawals row and its WITHDRAWAL ledger entry (customer -> CASH) in one PostgreSQL transaction;
 *   3. the reservation finished: released (withdrawing -= amount) when PostgreSQL recorded it, given back
 *      (available += amount) when it was cancelled.
 * The row's unique (user, idempotency key) decides, once, whether the withdrawal happened. A process that dies
 * between the steps leaves a reservation behind; the maintenance job `repairWithdrawals` finishes every
 * reservation older than a minute: it inserts the row as CANCELLED unless one is there, then finishes the
 * reservation by what the row says. Money is thus never both paid out and still available, nor lost.
 */

export type Reservation = { id: string; userId: string; key: string; amount: number; at: number };
export type Withdrawal = { id: string; amount: number };
type Row = typeof withdrawals.$inferSelect;

const fieldOf = (userId: string, key: string) => `${userId}:${key}`;

// KEYS: wallet, withdrawals. ARGV: field, reservation (JSON), amount.
// Returns {'NEW' | 'PRIOR', reservation} or {'INSUFFICIENT_FUNDS', available}.
const reserve = new LuaScript<[string, string]>(`
local prior = redis.call('HGET', KEYS[2], ARGV[1])
if prior then return {'PRIOR', prior} end
local amount = tonumber(ARGV[3])
local available = tonumber(redis.call('HGET', KEYS[1], 'available') or '0')
if available < amount then return {'INSUFFICIENT_FUNDS', tostring(available)} end
redis.call('HINCRBY', KEYS[1], 'available', -amount)
redis.call('HINCRBY', KEYS[1], 'withdrawing', amount)
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return {'NEW', ARGV[2]}
`);

// KEYS: wallet, withdrawals. ARGV: field, reservation id, 'release' | 'give-back'.
// Only the reservation of that id, once: returns 1 when finished now, 0 when it already was (or is another's).
const finish = new LuaScript<number>(`
local record = redis.call('HGET', KEYS[2], ARGV[1])
if not record then return 0 end
local reservation = cjson.decode(record)
if reservation.id ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HINCRBY', KEYS[1], 'withdrawing', -reservation.amount)
if ARGV[3] == 'give-back' then redis.call('HINCRBY', KEYS[1], 'available', reservation.amount) end
return 1
`);

const keysOf = (partitions: number, userId: string) => {
  const p = partitionOfUser(userId, partitions);
  return { p, keys: [walletKeys.wallet(p, userId), walletKeys.withdrawals(p)] };
};

async function findWithdrawal(db: DbOrTx, userId: string, key: string): Promise<Row | undefined> {
  const [row] = await db
    .select()
    .from(withdrawals)
    .where(and(eq(withdrawals.userId, userId), eq(withdrawals.idempotencyKey, key)));
  return row;
}

/** The answer to a key PostgreSQL already decided: the same withdrawal, or a refusal. */
function replayOf(row: Row, amount: number): Withdrawal {
  if (row.status === "CANCELLED")
    throw new AppError(
      "IDEMPOTENCY_KEY_REUSED",
      "This idempotency key belongs to a withdrawal that was cancelled before it completed (nothing left your account). Use a new key.",
    );
  if (row.amount !== amount) throw new AppError("IDEMPOTENCY_KEY_REUSED", "This idempotency key was used for a different withdrawal.");
  return { id: row.id, amount: row.amount };
}

/**
 * Step 1: the reservation of this key, new or left by an earlier request with the same key (still in flight, or
 * one that died), or INSUFFICIENT_FUNDS. An unreplicated reservation is 503: the outcome is unknown, and a retry with
 * the same key finishes it.
 */
export async function reserveWithdrawal(
  deps: Pick<Deps, "redis" | "partitions" | "config">,
  input: { userId: string; amount: number; idempotencyKey: string },
): Promise<{ reservation: Reservation; isNew: boolean } | { available: number }> {
  const { p, keys } = keysOf(deps.partitions, input.userId);
  const fresh: Reservation = { id: randomUUID(), userId: input.userId, key: input.idempotencyKey, amount: input.amount, at: Date.now() };
  let outcome: { reply: [string, string]; replicated: boolean };
  try {
    outcome = await replicatedScripts(deps.redis, deps.config).run(partitionTag(p), reserve, keys, [
      fieldOf(input.userId, input.idempotencyKey),
      JSON.stringify(fresh),
      input.amount,
    ]);
  } catch (error) {
    throw new AppError("UNAVAILABLE", "Withdrawals cannot be taken right now. Try again with the same idempotency key.", {
      cause: String(error),
    });
  }
  const [code, detail] = outcome.reply;
  if (code === "INSUFFICIENT_FUNDS") return { available: Number(detail) };
  if (!outcome.replicated)
    throw new AppError("UNAVAILABLE", "Your withdrawal could not be confirmed in time. Try again with the same idempotency key.");
  return { reservation: JSON.parse(detail) as Reservation, isNew: code === "NEW" };
}

/**
 * Step 2: the withdrawals row and the ledger entry, once per (user, key). Returns the row of the key: this
 * reservation's RECORDED, CANCELLED by the repair job, or another reservation's (whatever got there first).
 */
export async function recordWithdrawal({ db }: Pick<Deps, "db">, reservation: Reservation): Promise<Row> {
  return db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(withdrawals)
      .values({
        id: reservation.id,
        userId: reservation.userId,
        amount: reservation.amount,
        idempotencyKey: reservation.key,
        status: "RECORDED",
      })
      .onConflictDoNothing()
      .returning();
    if (!inserted) return (await findWithdrawal(tx, reservation.userId, reservation.key))!;
    const customer = await findCustomerAccount(tx, reservation.userId);
    const [cash] = await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.kind, "CASH"));
    if (!customer || !cash) throw new AppError("NOT_FOUND", "This user has no wallet.");
    await tx.insert(ledgerEntries).values({
      kind: "WITHDRAWAL",
      reference: reservation.id,
      fromAccountId: customer.id,
      toAccountId: cash.id,
      amount: reservation.amount,
    });
    return inserted;
  });
}

/** Step 3: releases the reservation if PostgreSQL recorded it, gives it back otherwise. Idempotent. */
export async function finishReservation(
  { redis, partitions }: Pick<Deps, "redis" | "partitions">,
  reservation: Pick<Reservation, "id" | "userId" | "key">,
  row: Row,
): Promise<"released" | "given back"> {
  const isPaidOut = row.id === reservation.id && row.status === "RECORDED";
  const { keys } = keysOf(partitions, reservation.userId);
  await finish.run(redis, keys, [fieldOf(reservation.userId, reservation.key), reservation.id, isPaidOut ? "release" : "give-back"]);
  return isPaidOut ? "released" : "given back";
}

/** POST /api/wallet/withdrawals: 201 once per idempotency key, a replay 200 with the same withdrawal. */
export async function withdraw(
  deps: Pick<Deps, "db" | "redis" | "partitions" | "config">,
  input: { userId: string } & WithdrawalInput,
): Promise<{ withdrawal: Withdrawal; isReplay: boolean }> {
  const decided = await findWithdrawal(deps.db, input.userId, input.idempotencyKey);
  if (decided) {
    // Its reservation may still be in Redis (its process died after the ledger): finish it now rather than in a minute.
    await finishReservation(deps, { id: decided.id, userId: input.userId, key: input.idempotencyKey }, decided);
    return { withdrawal: replayOf(decided, input.amount), isReplay: true };
  }
  const reserved = await reserveWithdrawal(deps, input);
  if ("available" in reserved) {
    // The same key may have finished between the look-up above and the script: then this is its replay.
    const finished = await findWithdrawal(deps.db, input.userId, input.idempotencyKey);
    if (finished) return { withdrawal: replayOf(finished, input.amount), isReplay: true };
    throw new AppError("INSUFFICIENT_FUNDS", "Your available balance is too low for this withdrawal.", { available: reserved.available });
  }
  const { reservation, isNew } = reserved;
  if (reservation.amount !== input.amount)
    throw new AppError("IDEMPOTENCY_KEY_REUSED", "This idempotency key was used for a different withdrawal.");
  let row: Row;
  try {
    row = await recordWithdrawal(deps, reservation);
  } catch (error) {
    // The reservation stays: a retry with the same key records it, or the repair job gives it back.
    throw new AppError("UNAVAILABLE", "Your withdrawal could not be recorded right now. Try again with the same idempotency key.", {
      cause: String(error),
    });
  }
  await finishReservation(deps, reservation, row);
  return { withdrawal: replayOf(row, input.amount), isReplay: !isNew || row.id !== reservation.id };
}

/** Every reservation in Redis (withdrawals in flight, or left by a process that died), per partition. */
export async function reservedWithdrawals({ redis, partitions }: Pick<Deps, "redis" | "partitions">): Promise<Reservation[]> {
  // One command per partition, sent together by auto-pipelining (per node on a Cluster).
  const hashes = await Promise.all(allPartitions(partitions).map((p) => redis.hvals(walletKeys.withdrawals(p))));
  return hashes.flat().map((record) => JSON.parse(record) as Reservation);
}

/** The reservations PostgreSQL has recorded already (released in Redis a moment later, or by the repair). */
export async function recordedAmongst(db: DbOrTx, reservations: Reservation[]): Promise<Reservation[]> {
  if (reservations.length === 0) return [];
  const recorded = await db
    .select({ id: withdrawals.id })
    .from(withdrawals)
    .where(
      and(
        inArray(
          withdrawals.id,
          reservations.map((r) => r.id),
        ),
        eq(withdrawals.status, "RECORDED"),
      ),
    );
  const ids = new Set(recorded.map((r) => r.id));
  return reservations.filter((r) => ids.has(r.id));
}

/**
 * The repair path: finishes every reservation older than `olderThanMs` (a withdrawal takes milliseconds; one that
 * old was left by a process that died, or is stuck on PostgreSQL). A reservation PostgreSQL never recorded is
 * cancelled there first (the row as CANCELLED), so a late commit by its web process can no longer pay it out.
 */
export async function repairWithdrawals(
  deps: Pick<Deps, "db" | "redis" | "partitions">,
  { olderThanMs = 60_000, now = Date.now() }: { olderThanMs?: number; now?: number } = {},
): Promise<{ released: number; givenBack: number }> {
  const stale = (await reservedWithdrawals(deps)).filter((r) => r.at <= now - olderThanMs);
  const counts = { released: 0, givenBack: 0 };
  for (const reservation of stale) {
    await deps.db.execute(sql`
      insert into withdrawals (id, user_id, amount, idempotency_key, status)
      values (${reservation.id}, ${reservation.userId}, ${reservation.amount}, ${reservation.key}, 'CANCELLED')
      on conflict do nothing`);
    const row = (await findWithdrawal(deps.db, reservation.userId, reservation.key))!;
    if ((await finishReservation(deps, reservation, row)) === "released") counts.released += 1;
    else counts.givenBack += 1;
  }
  return counts;
}
