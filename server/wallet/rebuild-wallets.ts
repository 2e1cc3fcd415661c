import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { accounts, ledgerEntries, quarantinedEntries } from "@/drizzle/schema";
import { storedStreamEntry } from "@/server/betting/quarantine";
import { entryFields, logFormatLua, parseEntries } from "@/server/betting/write-behind-log";
import type { Deps } from "@/server/deps";
import type { Database } from "@/server/platform/db";
import { Lease } from "@/server/platform/lease";
import { LuaScript } from "@/server/platform/lua-script";
import { allPartitions, partitionOfUser } from "@/server/platform/partitions";
import { logKeys, walletKeys } from "@/server/platform/redis-keys";
import { repairWithdrawals } from "./withdrawals";

const CHUNK = 500;
// Credits to a customer: what the credited set of a wallet lists.
const CREDIT_KINDS = ["DEPOSIT", "STAKE_RETURN", "WINNINGS"] as const;

/**
 * Sets each user's wallet from PostgreSQL plus the log entries PostgreSQL has not seen yet, in one atomic step per
 * chunk of users: available = balance - unflushed stakes - withdrawals reserved; pending = unflushed stakes (and their
 * bets), counting the bets in quarantine, whose stakes stay reserved until staff resolve them; withdrawing = the
 * withdrawals still reserved (none, unless one started after the repair that runs first); cashingOut = the cash-outs
 * logged and credited in Redis, not yet in PostgreSQL (available includes them); credited = every credit in
 * the ledger, so outbox events already counted in the balance are not applied again.
 * KEYS: stream, withdrawals, then (wallet, credited, pending) per user. ARGV: cursor, then (user id, balance, credits JSON,
 * quarantined bets JSON: {streamId, fields} each, the entry as logged).
 */
const rebuild = new LuaScript<number>(`${logFormatLua}
local pending, records, cashing = {}, {}, {}
for _, entry in ipairs(redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+')) do
  local f = {}
  for i = 1, #entry[2], 2 do f[entry[2][i]] = entry[2][i + 1] end
  if isBetEntry(f) then
    pending[f.userId] = (pending[f.userId] or 0) + tonumber(f.stake)
    records[f.userId] = records[f.userId] or {}
    table.insert(records[f.userId], f.betId)
    table.insert(records[f.userId], entryRecord(entry[1], f))
  elseif f.type == 'cashout' then
    cashing[f.userId] = (cashing[f.userId] or 0) + tonumber(f.amount)
  end
end
local withdrawing = {}
for _, record in ipairs(redis.call('HVALS', KEYS[2])) do
  local reservation = cjson.decode(record)
  withdrawing[reservation.userId] = (withdrawing[reservation.userId] or 0) + reservation.amount
end
local users = (#ARGV - 1) / 4
for i = 1, users do
  local user, balance, credits = ARGV[4 * i - 2], tonumber(ARGV[4 * i - 1]), cjson.decode(ARGV[4 * i])
  for _, q in ipairs(cjson.decode(ARGV[4 * i + 1])) do
    pending[user] = (pending[user] or 0) + tonumber(q.fields.stake)
    records[user] = records[user] or {}
    table.insert(records[user], q.fields.betId)
    table.insert(records[user], entryRecord(q.streamId, q.fields))
  end
  local wallet, credited, pendingBets = KEYS[3 * i], KEYS[3 * i + 1], KEYS[3 * i + 2]
  redis.call('DEL', wallet, credited, pendingBets)
  local stakes, withdrawn, cashed = pending[user] or 0, withdrawing[user] or 0, cashing[user] or 0
  redis.call('HSET', wallet, 'available', balance - stakes - withdrawn + cashed, 'pending', stakes, 'withdrawing', withdrawn, 'cashingOut', cashed)
  for j = 1, #credits, 1000 do redis.call('SADD', credited, unpack(credits, j, math.min(j + 999, #credits))) end
  if records[user] then redis.call('HSET', pendingBets, unpack(records[user])) end
end
return users
`);

/**
 * Rebuilds every Redis wallet from PostgreSQL and the unflushed log (after Redis lost data, or to repair drift).
 * It holds each partition's flusher lease while it works, so it refuses to run while flushers are running. Run it
 * with the site quiet: a withdrawal in flight is cancelled (its request answers 409) and kept out of the balance.
 */
export async function rebuildWallets({ db, redis, partitions }: Pick<Deps, "db" | "redis" | "partitions">): Promise<{ users: number }> {
  const leases = allPartitions(partitions).map((p) => new Lease(redis, logKeys.lease(p), `wallet-rebuild-${process.pid}`, 60_000));
  try {
    for (const lease of leases) {
      if ((await lease.hold()) === "taken")
        throw new Error(`A flusher holds ${lease.key}: stop the workers before rebuilding the wallets.`);
    }
    // A withdrawal reserved but unfinished would be counted twice or not at all: finish every one by PostgreSQL first.
    await repairWithdrawals({ db, redis, partitions }, { olderThanMs: 0 });
    const customers = await db
      .select({ id: accounts.id, userId: accounts.userId, balance: accounts.balance })
      .from(accounts)
      .where(eq(accounts.kind, "CUSTOMER"));
    const cursors = new Map(
      (
        await db.execute<{ partition: number; last_stream_id: string }>(sql`select partition, last_stream_id from write_behind_partitions`)
      ).map((r) => [Number(r.partition), r.last_stream_id]),
    );
    let users = 0;
    for (const p of allPartitions(partitions)) {
      const mine = customers.filter((c) => partitionOfUser(c.userId!, partitions) === p);
      for (let i = 0; i < mine.length; i += CHUNK) {
        const chunk = mine.slice(i, i + CHUNK);
        const credits = await db
          .select({ to: ledgerEntries.toAccountId, kind: ledgerEntries.kind, reference: ledgerEntries.reference })
          .from(ledgerEntries)
          .where(
            and(
              inArray(
                ledgerEntries.toAccountId,
                chunk.map((c) => c.id),
              ),
              inArray(ledgerEntries.kind, [...CREDIT_KINDS]),
            ),
          );
        const byAccount = new Map<string, string[]>();
        for (const c of credits) byAccount.set(c.to, [...(byAccount.get(c.to) ?? []), `${c.kind}:${c.reference}`]);
        const quarantined = await unresolvedQuarantinedBets(
          db,
          chunk.map((c) => c.userId!),
        );
        users += await rebuild.run(
          redis,
          [
            logKeys.stream(p),
            walletKeys.withdrawals(p),
            ...chunk.flatMap((c) => [walletKeys.wallet(p, c.userId!), walletKeys.credited(p, c.userId!), logKeys.pending(p, c.userId!)]),
          ],
          [
            cursors.get(p) ?? "0-0",
            ...chunk.flatMap((c) => [
              c.userId!,
              c.balance,
              JSON.stringify(byAccount.get(c.id) ?? []),
              JSON.stringify(quarantined.get(c.userId!) ?? []),
            ]),
          ],
        );
      }
    }
    return { users };
  } finally {
    await Promise.all(leases.map((l) => l.release().catch(() => {})));
  }
}

type QuarantinedBet = { streamId: string; fields: Record<string, string> };

/** Per user, the unresolved quarantined bets as the rebuild script takes them (their stakes stay reserved). */
async function unresolvedQuarantinedBets(db: Database, userIds: string[]): Promise<Map<string, QuarantinedBet[]>> {
  const rows = await db
    .select({ userId: quarantinedEntries.userId, streamId: quarantinedEntries.streamId, entry: quarantinedEntries.entry })
    .from(quarantinedEntries)
    .where(and(isNull(quarantinedEntries.resolution), inArray(quarantinedEntries.userId, userIds)));
  const byUser = new Map<string, QuarantinedBet[]>();
  for (const row of rows) {
    const entry = storedStreamEntry(row.streamId, row.entry);
    if (parseEntries([entry]).bets.length > 0)
      byUser.set(row.userId!, [...(byUser.get(row.userId!) ?? []), { streamId: row.streamId, fields: entryFields(entry[1]) }]);
  }
  return byUser;
}
