import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { matches, quarantinedEntries } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/credentials.shared";
import { recordAudit } from "@/server/audit/record-audit";
import { AppError, findPgError } from "@/server/errors";
import { enqueueOutbox } from "@/server/outbox/enqueue";
import type { OutboxHandler, OutboxPayload } from "@/server/outbox/events";
import type { Deps } from "@/server/deps";
import type { DbOrTx } from "@/server/platform/db";
import { logger } from "@/server/platform/logger";
import { LuaScript } from "@/server/platform/lua-script";
import { partitionOfUser } from "@/server/platform/partitions";
import { refundedBetDto } from "./bet-dto";
import { bettingEvents } from "./events";
import { applyCompletionMarkers } from "@/server/lifecycle/completion-markers";
import { recordLoggedBets } from "./record-bets";
import type { Bet } from "./bets.shared";
import { entryFields, parseEntries, type StreamEntry } from "./write-behind-log";
import { logKeys, walletKeys } from "@/server/platform/redis-keys";

/** An entry of a type this code cannot read: as permanent as PostgreSQL refusing it. */
export class UnreadableEntryError extends Error {}

/**
 * Whether a failed batch was refused for good by its content (SQLSTATE class 22 data exception, 23 integrity
 * constraint violation), as opposed to a connection error, a serialization conflict or a fenced-out flusher, which
 * are retried as they are. Only a permanent refusal is worth splitting the batch to find the entry behind it.
 */
export function isPermanentRefusal(error: unknown): boolean {
  if (error instanceof UnreadableEntryError) return true;
  const code = findPgError(error)?.code;
  return typeof code === "string" && /^2[23][0-9A-Z]{3}$/.test(code);
}

// Past this many unresolved entries in one partition the refusals are systemic (a missing account, a bad
// migration), not one bad entry: the partition blocks and retries, as before I9, rather than divert the whole log.
const MAX_UNRESOLVED_PER_PARTITION = 10;

/** Why an entry was refused, in PostgreSQL's words when it was PostgreSQL (not the failed query and its params). */
export function refusalReason(error: unknown): string {
  return String(findPgError(error)?.message ?? (error as Error)?.message ?? error)
    .replaceAll("\u0000", "\\u0000")
    .slice(0, 2000);
}
const uuidOrNull = (value: string | undefined) => (z.uuid().safeParse(value).success ? value! : null);

/**
 * Sets one refused entry aside in the flusher's transaction (the cursor moves past it in the same transaction).
 * The entry is kept whole, as JSON text; its stake stays reserved in Redis until staff resolve it.
 */
export async function quarantineEntry(tx: DbOrTx, partition: number, [streamId, fields]: StreamEntry, error: unknown) {
  const unresolved = await tx.$count(
    quarantinedEntries,
    and(eq(quarantinedEntries.partition, partition), isNull(quarantinedEntries.resolution)),
  );
  if (unresolved >= MAX_UNRESOLVED_PER_PARTITION) {
    throw new Error(
      `partition ${partition} already has ${unresolved} unresolved quarantined entries: blocking instead of quarantining more`,
    );
  }
  const f = entryFields(fields);
  await tx
    .insert(quarantinedEntries)
    .values({
      partition,
      streamId,
      entry: JSON.stringify(f),
      error: refusalReason(error),
      errorCode: findPgError(error)?.code ?? null,
      betId: f.type === "bet" ? uuidOrNull(f.betId) : null,
      userId: f.type === "bet" ? uuidOrNull(f.userId) : null,
      matchId: uuidOrNull(f.matchId),
      stake: f.type === "bet" && /^\d{1,15}$/.test(f.stake ?? "") ? Number(f.stake) : null,
    })
    .onConflictDoNothing();
}

/** A quarantined entry as the log held it, to be parsed like any other. */
export function storedStreamEntry(streamId: string, entry: string): StreamEntry {
  return [streamId, Object.entries(JSON.parse(entry) as Record<string, string>).flat()];
}

/** A bettor's bets refunded from the quarantine (never in `bets`), as My Bets shows them: VOID. */
export async function refundedBets(db: DbOrTx, userId: string, betId?: string): Promise<Bet[]> {
  const rows = await db
    .select()
    .from(quarantinedEntries)
    .where(
      and(
        eq(quarantinedEntries.userId, userId),
        eq(quarantinedEntries.resolution, "REFUNDED"),
        betId ? eq(quarantinedEntries.betId, betId) : undefined,
      ),
    );
  return rows.flatMap((row) =>
    parseEntries([storedStreamEntry(row.streamId, row.entry)]).bets.map((bet) => refundedBetDto(row.partition, bet, row.resolvedAt!)),
  );
}

/** Stream ids among `streamIds` that were quarantined (their stakes stay reserved when the log is acknowledged). */
export async function quarantinedAmong(db: DbOrTx, partition: number, streamIds: string[]): Promise<Set<string>> {
  if (streamIds.length === 0) return new Set();
  const rows = await db
    .select({ streamId: quarantinedEntries.streamId })
    .from(quarantinedEntries)
    .where(and(eq(quarantinedEntries.partition, partition), inArray(quarantinedEntries.streamId, streamIds)));
  return new Set(rows.map((r) => r.streamId));
}

export type QuarantinedEntryDto = {
  partition: number;
  streamId: string;
  entry: string;
  error: string;
  errorCode: string | null;
  betId: string | null;
  userId: string | null;
  matchId: string | null;
  stake: number | null;
  quarantinedAt: string;
  resolution: "RECORDED" | "REFUNDED" | null;
  resolvedAt: string | null;
};

const toDto = (row: typeof quarantinedEntries.$inferSelect): QuarantinedEntryDto => ({
  partition: row.partition,
  streamId: row.streamId,
  entry: row.entry,
  error: row.error,
  errorCode: row.errorCode,
  betId: row.betId,
  userId: row.userId,
  matchId: row.matchId,
  stake: row.stake,
  quarantinedAt: row.quarantinedAt.toISOString(),
  resolution: row.resolution,
  resolvedAt: row.resolvedAt?.toISOString() ?? null,
});

/** Unresolved entries first, then the most recently resolved ones. */
export async function listQuarantine({ db }: Pick<Deps, "db">, { limit = 100 }: { limit?: number } = {}): Promise<QuarantinedEntryDto[]> {
  const rows = await db
    .select()
    .from(quarantinedEntries)
    .orderBy(sql`${quarantinedEntries.resolution} is not null`, desc(quarantinedEntries.quarantinedAt))
    .limit(limit);
  return rows.map(toDto);
}

/**
 * Forgets a resolved bet's reservation in its Redis wallet, once (only if still pending): a refund makes the stake
 * available again; a recorded bet's stake is now debited in PostgreSQL, so only the pending part goes.
 * KEYS: wallet, pending. ARGV: bet id, stake, 1 to refund.
 */
const release = new LuaScript<number>(`
if redis.call('HDEL', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[1], 'pending', -tonumber(ARGV[2]))
if ARGV[3] == '1' then redis.call('HINCRBY', KEYS[1], 'available', tonumber(ARGV[2])) end
return 1
`);

async function releaseReservation(
  { redis, partitions }: Pick<Deps, "redis" | "partitions">,
  { userId, betId, stake, refund }: OutboxPayload<typeof bettingEvents.reservationReleased>,
) {
  const p = partitionOfUser(userId, partitions);
  await release.run(redis, [walletKeys.wallet(p, userId), logKeys.pending(p, userId)], [betId, stake, refund ? 1 : 0]);
}

export const quarantineParamsSchema = z.object({
  partition: z.coerce.number().int().min(0).max(255),
  streamId: z.string().regex(/^\d{1,15}-\d{1,10}$/, "Not a stream id."),
});
export const resolveQuarantineSchema = z
  .object({ action: z.enum(["record", "refund"], { message: 'Send {"action": "record"} or {"action": "refund"}.' }) })
  .strict();

/**
 * Staff resolve a quarantined entry (I9), audited: `record` writes it to PostgreSQL as the flusher would have (a bet
 * with its stake debit, or a completion marker), `refund` gives the bettor the reserved stake back (an entry that
 * is not a bet is dismissed). Either way the payout gate of its match opens. PostgreSQL refusing the entry again
 * is a 409 with its reason: staff can refund it instead. The Redis reservation is released right after the commit
 * and, should Redis be unreachable, by the relay from the outbox.
 */
export async function resolveQuarantinedEntry(
  deps: Pick<Deps, "db" | "redis" | "partitions">,
  { actor, action, ...key }: { actor: SessionUser } & z.output<typeof quarantineParamsSchema> & z.output<typeof resolveQuarantineSchema>,
): Promise<QuarantinedEntryDto> {
  const { db, partitions } = deps;
  const resolution = action === "record" ? "RECORDED" : "REFUNDED";
  let released: OutboxPayload<typeof bettingEvents.reservationReleased> | null = null;
  let resolved: typeof quarantinedEntries.$inferSelect;
  try {
    resolved = await db.transaction(async (tx) => {
      const where = and(eq(quarantinedEntries.partition, key.partition), eq(quarantinedEntries.streamId, key.streamId));
      const [row] = await tx.select().from(quarantinedEntries).where(where).for("update");
      if (!row) throw new AppError("NOT_FOUND", "No such quarantined entry.");
      if (row.resolution)
        throw new AppError("INVALID_STATE", `This entry was already resolved (${row.resolution}).`, { resolution: row.resolution });
      // Serialises with the payout of its match, which locks the same row.
      if (row.matchId) await tx.select({ id: matches.id }).from(matches).where(eq(matches.id, row.matchId)).for("no key update");
      if (action === "record") {
        const { bets, markers, unreadable } = parseEntries([storedStreamEntry(row.streamId, row.entry)]);
        if (unreadable.length > 0)
          throw new AppError("INVALID_STATE", "This entry is not a bet or a marker: it can only be dismissed (refund).");
        await recordLoggedBets(tx, row.partition, bets);
        await applyCompletionMarkers(tx, row.partition, partitions, markers);
      }
      const [after] = await tx
        .update(quarantinedEntries)
        .set({ resolution, resolvedBy: actor.id, resolvedAt: sql`now()` })
        .where(where)
        .returning();
      await recordAudit(tx, {
        actorUserId: actor.id,
        action: `write-behind.quarantine-${action}`,
        entityType: "quarantined-entry",
        entityId: `${row.partition}/${row.streamId}`,
        before: { resolution: null, error: row.error },
        after: { resolution, betId: row.betId, userId: row.userId, stake: row.stake },
      });
      if (row.betId && row.userId && row.stake !== null) {
        released = { userId: row.userId, betId: row.betId, stake: row.stake, refund: action === "refund" };
        await enqueueOutbox(tx, bettingEvents.reservationReleased, row.userId, released);
      }
      return after!;
    });
  } catch (error) {
    if (error instanceof AppError || !isPermanentRefusal(error)) throw error;
    throw new AppError("INVALID_STATE", `PostgreSQL still refuses this entry: ${refusalReason(error)}. Refund it instead.`, {
      errorCode: findPgError(error)?.code,
    });
  }
  if (released) {
    await releaseReservation(deps, released).catch((error: unknown) =>
      logger.warn({ err: error }, "could not release a resolved bet's reservation now; the outbox relay will"),
    );
  }
  return toDto(resolved);
}

/** The relay releases the reservations of resolved quarantined bets, once each (in any order). */
export function bettingOutboxHandlers(deps: Pick<Deps, "redis" | "partitions">): OutboxHandler[] {
  return [
    {
      event: bettingEvents.reservationReleased,
      apply: (payload) => releaseReservation(deps, bettingEvents.reservationReleased.payload.parse(payload)),
      commutes: true,
    },
  ];
}
