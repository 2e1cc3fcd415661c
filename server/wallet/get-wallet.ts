import { AppError } from "@/server/errors";
import type { Deps } from "@/server/deps";
import { getBalance } from "./get-balance";
import { readRedisWallet } from "./redis-wallet";

export type Wallet = { available: number; balance: number; pendingStakes: number; currency: string };

/** balance: PostgreSQL's; available and pendingStakes: the Redis wallet bets are accepted against. */
export async function getWallet(deps: Pick<Deps, "db" | "redis" | "partitions">, input: { userId: string }): Promise<Wallet> {
  const [account, live] = await Promise.all([getBalance(deps, input), readRedisWallet(deps, input)]);
  if (!account) throw new AppError("NOT_FOUND", "This user has no wallet.");
  return { available: live.available, balance: account.balance, pendingStakes: live.pending, currency: account.currency };
}
