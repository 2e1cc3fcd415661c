import type { Deps } from "@/server/deps";
import { LuaScript } from "@/server/platform/lua-script";
import { partitionOfUser } from "@/server/platform/partitions";
import { walletKeys } from "@/server/platform/redis-keys";
import type { OutboxHandler } from "@/server/outbox/events";
import { walletEvents } from "./events";

// A bettor's wallet: available + pending = the PostgreSQL balance, once every credit and stake has been carried over.

export type WalletCredit = { userId: string; amount: number; entry: string };

// KEYS: wallet, credited. ARGV: entry, amount. Returns 1 when credited now, 0 when it already was.
const credit = new LuaScript<number>(`
if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[1], 'available', ARGV[2])
return 1
`);

/** Applies a credit written to PostgreSQL (deposit, payout, refund) to the Redis wallet, once per ledger entry. */
export async function creditRedisWallet(
  { redis, partitions }: Pick<Deps, "redis" | "partitions">,
  { userId, entry, amount }: WalletCredit,
): Promise<boolean> {
  const p = partitionOfUser(userId, partitions);
  return (await credit.run(redis, [walletKeys.wallet(p, userId), walletKeys.credited(p, userId)], [entry, amount])) === 1;
}

export async function readRedisWallet(
  { redis, partitions }: Pick<Deps, "redis" | "partitions">,
  { userId }: { userId: string },
): Promise<{ available: number; pending: number }> {
  const [available, pending] = await redis.hmget(walletKeys.wallet(partitionOfUser(userId, partitions), userId), "available", "pending");
  return { available: Number(available ?? 0), pending: Number(pending ?? 0) };
}

/** The relay applies credits to Redis wallets; nobody subscribes to them, applying them once is the delivery. */
export function walletOutboxHandlers(deps: Pick<Deps, "redis" | "partitions">): OutboxHandler[] {
  return [
    {
      event: walletEvents.walletCredited,
      apply: async (payload) => void (await creditRedisWallet(deps, walletEvents.walletCredited.payload.parse(payload))),
      commutes: true,
    },
  ];
}
