import { sql } from "drizzle-orm";
import { bettingEvents } from "@/server/betting/events";
import type { Deps } from "@/server/deps";
import { partitionOfUser } from "@/server/platform/partitions";
import { globalKeys, walletKeys } from "@/server/platform/redis-keys";
import { walletEvents } from "./events";
import { recordedAmongst, reservedWithdrawals } from "./withdrawals";

const DRIFT_KEY = globalKeys.walletDrift;
const CHUNK = 1_000;
const RECHECKS = 2;

export type WalletDrift = {
  users: number;
  checked: number;
  totalAbs: number;
  worst: { userId: string; drift: number }[];
  checkedAt: string;
};

/**
 * Drift per user = Redis (available + pending stakes + withdrawals reserved) - the PostgreSQL balance as Redis can
 * know it: like with like, the balance without the wallet events the relay has not applied yet (a credit not yet
 * published, a recorded quarantined bet's release), which Redis cannot have seen, and without the withdrawals
 * PostgreSQL recorded whose reservation is not released yet (server/wallet/withdrawals.ts: a moment, or until the
 * repair job when the web process died in between). What remains is real: it must be 0 when the
 * system is quiet (invariant I6), and is non-zero only for the moment between the relay's Redis write and its
 * marking the row published. The result is kept in Redis so every web instance can export it at /api/metrics.
 *
 * PostgreSQL is read before Redis, so a bet flushed in between (debited after the balance was read, its stake no
 * longer pending when the wallet is) shows as one stake short. The wallets found drifting are read again, both
 * sides, up to RECHECKS times: a race does not repeat, a real drift does.
 */
export async function reconcileWallets(deps: Pick<Deps, "db" | "redis" | "partitions">): Promise<WalletDrift> {
  const [found, checked] = await measureDrifts(deps);
  let drifts = found;
  for (let attempt = 0; attempt < RECHECKS && drifts.length > 0; attempt++) {
    [drifts] = await measureDrifts(
      deps,
      drifts.map((d) => d.userId),
    );
  }
  drifts.sort((a, b) => Math.abs(b.drift) - Math.abs(a.drift));
  const result: WalletDrift = {
    users: drifts.length,
    checked,
    totalAbs: drifts.reduce((sum, d) => sum + Math.abs(d.drift), 0),
    worst: drifts.slice(0, 20),
    checkedAt: new Date().toISOString(),
  };
  await deps.redis.set(DRIFT_KEY, JSON.stringify(result));
  return result;
}

/** The drifting wallets among `userIds` (every customer when not given), and how many were checked. */
async function measureDrifts(
  { db, redis, partitions }: Pick<Deps, "db" | "redis" | "partitions">,
  userIds?: string[],
): Promise<[{ userId: string; drift: number }[], number]> {
  const [credit, release] = [walletEvents.walletCredited.topic, bettingEvents.reservationReleased.topic];
  const unreleased = new Map<string, number>();
  for (const r of await recordedAmongst(db, await reservedWithdrawals({ redis, partitions })))
    unreleased.set(r.userId, (unreleased.get(r.userId) ?? 0) + r.amount);
  const among = userIds
    ? sql`and a.user_id in (${sql.join(
        userIds.map((id) => sql`${id}`),
        sql`, `,
      )})`
    : sql``;
  const customers = (
    await db.execute<{ user_id: string; balance: string }>(sql`
      select a.user_id, a.balance - coalesce(unapplied.amount, 0) as balance
      from accounts a
      left join (
        select payload->>'userId' as user_id,
          sum(case when topic = ${credit} then (payload->>'amount')::bigint else -(payload->>'stake')::bigint end) as amount
        from outbox
        where published_at is null and parked_at is null
          and (topic = ${credit} or (topic = ${release} and payload->>'refund' = 'false'))
        group by 1
      ) unapplied on unapplied.user_id = a.user_id::text
      where a.kind = 'CUSTOMER' ${among}`)
  ).map((r) => ({ userId: r.user_id, balance: Number(r.balance) }));
  const drifts: { userId: string; drift: number }[] = [];
  for (let i = 0; i < customers.length; i += CHUNK) {
    const chunk = customers.slice(i, i + CHUNK);
    // One command per wallet, sent together by auto-pipelining (per node on a Cluster: wallets span partitions).
    const replies = await Promise.all(
      chunk.map((c) =>
        redis.hmget(
          walletKeys.wallet(partitionOfUser(c.userId, partitions), c.userId),
          "available",
          "pending",
          "withdrawing",
          "cashingOut",
        ),
      ),
    );
    chunk.forEach((c, j) => {
      const [available, pending, withdrawing, cashingOut] = replies[j] ?? [];
      // A cash-out is credited in Redis before PostgreSQL has it.
      const inRedis = Number(available ?? 0) + Number(pending ?? 0) + Number(withdrawing ?? 0) - Number(cashingOut ?? 0);
      const drift = inRedis - c.balance - (unreleased.get(c.userId) ?? 0);
      if (drift !== 0) drifts.push({ userId: c.userId, drift });
    });
  }
  return [drifts, customers.length];
}

export async function lastWalletDrift({ redis }: Pick<Deps, "redis">): Promise<WalletDrift | null> {
  const raw = await redis.get(DRIFT_KEY);
  return raw ? (JSON.parse(raw) as WalletDrift) : null;
}
