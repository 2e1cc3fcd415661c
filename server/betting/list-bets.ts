import { and, asc, desc, eq, gte, inArray, lt, or, type SQL } from "drizzle-orm";
import type { RedisClient } from "@/server/platform/redis";
import { z } from "zod";
import { betLegs, bets } from "@/drizzle/schema";
import type { Database } from "@/server/platform/db";
import { AppError, validationError } from "@/server/errors";
import { isoDateTimeSchema } from "@/server/fields.shared";
import type { Deps } from "@/server/deps";
import { partitionOfUser } from "@/server/platform/partitions";
import { acceptedBetDto, recordedBetDto } from "./bet-dto";
import { withCashOuts } from "./cash-out";
import { refundedBets } from "./quarantine";
import { BET_STATES, BET_STATUSES, type Bet, type BetStatus, type listBetsSchema } from "./bets.shared";
import { decodeAcceptedBet } from "./write-behind-log";
import { logKeys } from "@/server/platform/redis-keys";

type Position = { acceptedAt: string; id: string };

// Newest first: by acceptance time, then id.
const isBefore = (bet: Position, cursor: Position) =>
  bet.acceptedAt < cursor.acceptedAt || (bet.acceptedAt === cursor.acceptedAt && bet.id < cursor.id);
const newestFirst = (a: Bet, b: Bet) => (a.acceptedAt === b.acceptedAt ? (a.id < b.id ? 1 : -1) : a.acceptedAt < b.acceptedAt ? 1 : -1);

function encodeCursor(bet: Position): string {
  return Buffer.from(`${bet.acceptedAt}|${bet.id}`).toString("base64url");
}

// Both parts are checked before they reach a query: a cursor is as hostile as any other input.
const positionSchema = z.object({ acceptedAt: isoDateTimeSchema, id: z.uuid() });

function decodeCursor(cursor: string): Position {
  const [acceptedAt, id] = Buffer.from(cursor, "base64url").toString().split("|");
  const position = positionSchema.safeParse({ acceptedAt, id });
  if (!position.success) throw validationError([{ path: "cursor", message: "Not a cursor from this API." }]);
  return position.data;
}

/** The bettor's bets still in the write-behind log (ACCEPTED); at most the few not flushed yet. */
async function acceptedBets(redis: RedisClient, partitions: number, userId: string): Promise<Bet[]> {
  const p = partitionOfUser(userId, partitions);
  const records = await redis.hvals(logKeys.pending(p, userId));
  return records.map((r) => acceptedBetDto(p, decodeAcceptedBet(r)));
}

/** The legs of the accumulators among these rows, in order, by bet id (one query, none when there are none). */
async function legsOf(db: Database, rows: (typeof bets.$inferSelect)[]) {
  const ids = rows.filter((r) => r.type === "ACCUMULATOR").map((r) => r.id);
  const legs = ids.length === 0 ? [] : await db.select().from(betLegs).where(inArray(betLegs.betId, ids)).orderBy(asc(betLegs.position));
  const byBet = new Map<string, typeof legs>();
  for (const leg of legs) byBet.set(leg.betId, [...(byBet.get(leg.betId) ?? []), leg]);
  return byBet;
}

/**
 * A bettor's own bets, newest first: the ones still in the log merged with PostgreSQL's. A bet just flushed can be
 * in both for a moment; PostgreSQL's copy wins.
 */
export async function listBets(
  deps: Pick<Deps, "db" | "redis" | "partitions" | "config">,
  { userId, ...query }: { userId: string } & z.output<typeof listBetsSchema>,
) {
  const { db, redis, partitions } = deps;
  const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
  const inState: readonly BetStatus[] = query.state ? BET_STATES[query.state] : BET_STATUSES;
  const statuses = query.status ? inState.filter((st) => st === query.status) : inState;
  const wantsAccepted = statuses.includes("ACCEPTED");
  const inTable = statuses.filter((st): st is Exclude<BetStatus, "ACCEPTED"> => st !== "ACCEPTED");
  const wantsRecorded = inTable.length > 0;
  const conditions: (SQL | undefined)[] = [eq(bets.userId, userId)];
  if (statuses.length < BET_STATUSES.length) conditions.push(inArray(bets.status, inTable));
  if (query.from) conditions.push(gte(bets.acceptedAt, new Date(query.from)));
  if (query.to) conditions.push(lt(bets.acceptedAt, new Date(query.to)));
  // The same window for the bets read from Redis (the log, the refunded ones).
  const inWindow = (b: Bet) =>
    (!query.from || Date.parse(b.acceptedAt) >= Date.parse(query.from)) && (!query.to || Date.parse(b.acceptedAt) < Date.parse(query.to));
  if (cursor) {
    const at = new Date(cursor.acceptedAt);
    conditions.push(or(lt(bets.acceptedAt, at), and(eq(bets.acceptedAt, at), lt(bets.id, cursor.id))));
  }
  // The log first: a bet flushed between the two reads is then found in PostgreSQL rather than in neither.
  const pending = wantsAccepted ? await acceptedBets(redis, partitions, userId) : [];
  const rows = wantsRecorded
    ? await db
        .select()
        .from(bets)
        .where(and(...conditions))
        .orderBy(desc(bets.acceptedAt), desc(bets.id))
        .limit(query.limit + 1)
    : [];
  // Refunded quarantined bets are never in `bets`: rare, so read whole and merged like the log's.
  const refunded = wantsRecorded && (!query.status || query.status === "VOID") ? await refundedBets(db, userId) : [];
  const legs = await legsOf(db, rows);
  const recorded = [
    ...rows.map((row) => recordedBetDto(row, legs.get(row.id))),
    ...refunded.filter((b) => inWindow(b) && (!cursor || isBefore(b, cursor))),
  ];
  const recordedIds = new Set(recorded.map((b) => b.id));
  const merged = [...pending.filter((b) => !recordedIds.has(b.id) && inWindow(b) && (!cursor || isBefore(b, cursor))), ...recorded].sort(
    newestFirst,
  );
  const page = merged.slice(0, query.limit);
  const hasMore = merged.length > query.limit;
  return { bets: await withCashOuts(deps, userId, page), nextCursor: hasMore ? encodeCursor(page.at(-1)!) : null };
}

/** One of the bettor's own bets; another user's is NOT_FOUND, like a missing one. */
export async function getBet(
  deps: Pick<Deps, "db" | "redis" | "partitions" | "config">,
  { userId, betId }: { userId: string; betId: string },
): Promise<Bet> {
  const { db, redis, partitions } = deps;
  // The log first, for the same reason as in listBets.
  const p = partitionOfUser(userId, partitions);
  const record = await redis.hget(logKeys.pending(p, userId), betId);
  const [row] = await db
    .select()
    .from(bets)
    .where(and(eq(bets.id, betId), eq(bets.userId, userId)));
  const found = row
    ? recordedBetDto(row, (await legsOf(db, [row])).get(row.id))
    : record
      ? acceptedBetDto(p, decodeAcceptedBet(record))
      : null;
  if (found) return (await withCashOuts(deps, userId, [found]))[0]!;
  const [refunded] = await refundedBets(db, userId, betId);
  if (refunded) return refunded;
  throw new AppError("NOT_FOUND", "No such bet.");
}
