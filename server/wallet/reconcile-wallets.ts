import { eq } from "drizzle-orm";
import type { Redis } from "ioredis";
import { accounts } from "@/drizzle/schema";
import type { DbOrTx } from "@/server/platform/db";
import { partitionOfUser } from "@/server/platform/partitions";
import { walletKeys } from "./redis-wallet";

const DRIFT_KEY = "bm:wallet:drift";
const CHUNK = 1_000;

export type WalletDrift = { users: number; checked: number; totalAbs: number; worst: { userId: string; drift: number }[]; checkedAt: string };

/**
 * Drift per user = Redis (available + pending stakes) - PostgreSQL balance. Non-zero for a moment while a credit
 * or a flush is on its way; it must be 0 when the system is quiet (invariant I6). The result is kept in Redis
 * so every web instance can export it at /api/metrics.
 */
export async function reconcileWallets(db: DbOrTx, redis: Redis, partitions: number): Promise<WalletDrift> {
  const customers = await db.select({ userId: accounts.userId, balance: accounts.balance }).from(accounts).where(eq(accounts.kind, "CUSTOMER"));
  const drifts: { userId: string; drift: number }[] = [];
  for (let i = 0; i < customers.length; i += CHUNK) {
    const chunk = customers.slice(i, i + CHUNK);
    const pipeline = redis.pipeline();
    for (const c of chunk) pipeline.hmget(walletKeys.wallet(partitionOfUser(c.userId!, partitions), c.userId!), "available", "pending");
    const replies = (await pipeline.exec()) ?? [];
    chunk.forEach((c, j) => {
      const [available, pending] = (replies[j]?.[1] as (string | null)[] | undefined) ?? [];
      const drift = Number(available ?? 0) + Number(pending ?? 0) - c.balance;
      if (drift !== 0) drifts.push({ userId: c.userId!, drift });
    });
  }
  drifts.sort((a, b) => Math.abs(b.drift) - Math.abs(a.drift));
  const result: WalletDrift = {
    users: drifts.length,
    checked: customers.length,
    totalAbs: drifts.reduce((sum, d) => sum + Math.abs(d.drift), 0),
    worst: drifts.slice(0, 20),
    checkedAt: new Date().toISOString(),
  };
  await redis.set(DRIFT_KEY, JSON.stringify(result));
  return result;
}

export async function lastWalletDrift(redis: Redis): Promise<WalletDrift | null> {
  const raw = await redis.get(DRIFT_KEY);
  return raw ? (JSON.parse(raw) as WalletDrift) : null;
}
