import type { Redis } from "ioredis";
import { AppError } from "@/server/errors";
import type { DbOrTx } from "@/server/platform/db";
import { getBalance } from "./get-balance";
import { readRedisWallet } from "./redis-wallet";

export type Wallet = { available: number; balance: number; pendingStakes: number; currency: string };

/** balance: PostgreSQL's; available and pendingStakes: the Redis wallet bets are accepted against. */
export async function getWallet(db: DbOrTx, redis: Redis, partitions: number, userId: string): Promise<Wallet> {
  const [account, live] = await Promise.all([getBalance(db, userId), readRedisWallet(redis, partitions, userId)]);
  if (!account) throw new AppError("NOT_FOUND", "This user has no wallet.");
  return { available: live.available, balance: account.balance, pendingStakes: live.pending, currency: account.currency };
}
