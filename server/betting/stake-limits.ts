import type { Deps } from "@/server/deps";
import { partitionOfUser } from "@/server/platform/partitions";
import { riskKeys } from "@/server/platform/redis-keys";
import type { StakeLimits } from "./stake-limits.shared";

/** The stake limits a bettor's slip shows: the deployment's, the maximum scaled by their stake factor as acceptance does. */
export async function stakeLimitsFor(
  { redis, partitions, config }: Pick<Deps, "redis" | "partitions" | "config">,
  userId: string | null,
): Promise<StakeLimits> {
  const percent = userId
    ? Number((await redis.hget(riskKeys.bettor(partitionOfUser(userId, partitions), userId), "stakeFactor")) ?? 100)
    : 100;
  return {
    minStake: config.BET_MIN_STAKE,
    maxStake: Math.floor((config.BET_MAX_STAKE * percent) / 100),
    maxPayout: config.BET_MAX_PAYOUT,
  };
}
