import { z } from "zod";
import type { Config } from "@/server/config";
import type { Deps } from "@/server/deps";
import type { MatchDto } from "@/server/catalog/match-root";
import { allPartitions } from "@/server/platform/partitions";
import { riskKeys } from "@/server/platform/redis-keys";

/**
 * Live liability (API.md "Trader risk", I14), owned here: the fields of a partition's `risk:<matchId>` hash and the
 * Lua that bet acceptance and cash-out embed to keep them. Acceptance counts a bet in the same atomic step that
 * reserves its stake, so the figures include bets still in the write-behind queue.
 *
 * The cap is split by demarcation: each partition holds a weight w of 1,000,000 per match (an even share at first)
 * and accepts a bet only if no selection's liability *in this partition* goes over floor(cap x w / 1,000,000).
 * Liability is a sum over partitions and the weights sum to at most 1,000,000, so the sum of the partitions'
 * liabilities stays within the cap without any cross-partition step per bet. A partition that runs low asks the
 * rebalancer (server/risk/rebalance.ts) for weight from the others.
 */
export const riskLua = `
local RISK_WEIGHT_TOTAL = 1000000
-- This partition's even share of a match's cap weight, before the rebalancer moves any.
local function riskEvenShare(partition, count)
  local share = math.floor(RISK_WEIGHT_TOTAL / count)
  if partition < RISK_WEIGHT_TOTAL % count then share = share + 1 end
  return share
end
-- This partition's weight of a match's cap: its even share until the rebalancer moves some.
local function riskWeight(riskKey, partition, count)
  return tonumber(redis.call('HGET', riskKey, 'w') or '') or riskEvenShare(partition, count)
end
-- cap <= 9e9 and w <= 1e6: the product is exact in a double.
local function riskAllowance(cap, weight) return math.floor(cap * weight / RISK_WEIGHT_TOTAL) end
-- The match's cap from its live state's maxLiability field (false or empty: the deployment's default).
local function riskCap(maxLiability, defaultCap)
  return tonumber(maxLiability or '') or tonumber(defaultCap)
end
-- Selection s of market k here, in one read: this partition's stored weight of the match's cap (nil while it has
-- its even share, not stored yet), and the counters riskCount updates.
local function riskRead(riskKey, k, s)
  local v = redis.call('HMGET', riskKey, 'w', 'pay:' .. k .. ':' .. s, 'st:' .. k .. ':' .. s, 'n:' .. k .. ':' .. s, 'mk:' .. k)
  return tonumber(v[1] or ''), { pay = tonumber(v[2] or '0'), st = tonumber(v[3] or '0'), n = tonumber(v[4] or '0'), mk = tonumber(v[5] or '0') }
end
-- What the house pays if selection s wins minus the stakes of singles on its market (counters from riskRead).
local function riskLiability(counters) return counters.pay - counters.mk end
-- sign 1 counts a bet (newWeight: the even share to store, when riskRead found none), -1 takes it out (a cash-out), on
-- the counters riskRead gave in the same script: one HSET of absolute values (integers printed whole).
local function riskCount(riskKey, k, s, stake, payout, isSingle, sign, newWeight, counters)
  local int = function(x) return string.format('%d', x) end
  local fields = {
    'pay:' .. k .. ':' .. s, int(counters.pay + sign * payout),
    'st:' .. k .. ':' .. s, int(counters.st + sign * stake),
    'n:' .. k .. ':' .. s, int(counters.n + sign),
  }
  if isSingle then table.insert(fields, 'mk:' .. k); table.insert(fields, int(counters.mk + sign * stake)) end
  if newWeight then table.insert(fields, 'w'); table.insert(fields, int(newWeight)) end
  redis.call('HSET', riskKey, unpack(fields))
end
-- The largest liability of any selection here, or 0.
local function riskUsage(riskKey)
  local fields = redis.call('HGETALL', riskKey)
  local pays, singles, usage = {}, {}, 0
  for i = 1, #fields, 2 do
    local market = string.match(fields[i], '^pay:([^:]+):')
    if market then table.insert(pays, {market, tonumber(fields[i + 1])})
    elseif string.sub(fields[i], 1, 3) == 'mk:' then singles[string.sub(fields[i], 4)] = tonumber(fields[i + 1]) end
  end
  for _, pay in ipairs(pays) do usage = math.max(usage, pay[2] - (singles[pay[1]] or 0)) end
  return usage
end
`;

export type RiskConfig = Pick<Config, "RISK_TRACKING_ENABLED" | "MAX_LIABILITY_PER_MATCH" | "BIG_BET_STAKE">;

export type SelectionLiability = { selectionId: string; bets: number; stakes: number; potentialPayout: number; liability: number };
export type MatchLiability = {
  matchId: string;
  maxLiability: number;
  markets: { marketId: string; selections: SelectionLiability[] }[];
};

export const effectiveCap = (match: Pick<MatchDto, "maxLiability">, config: Pick<Config, "MAX_LIABILITY_PER_MATCH">) =>
  match.maxLiability ?? config.MAX_LIABILITY_PER_MATCH;

/** A match's live liability, summed over every partition's counters (one HGETALL per partition). */
export async function matchLiability(
  { redis, partitions, config }: Pick<Deps, "redis" | "partitions"> & { config: Pick<Config, "MAX_LIABILITY_PER_MATCH"> },
  match: MatchDto,
): Promise<MatchLiability> {
  const counters = new Map<string, number>();
  const hashes = await Promise.all(allPartitions(partitions).map((p) => redis.hgetall(riskKeys.match(p, match.id))));
  for (const hash of hashes)
    for (const [field, value] of Object.entries(hash)) counters.set(field, (counters.get(field) ?? 0) + Number(value));
  const count = (field: string) => counters.get(field) ?? 0;
  return {
    matchId: match.id,
    maxLiability: effectiveCap(match, config),
    markets: match.markets.map((market) => ({
      marketId: market.id,
      selections: market.selections.map((s) => {
        const key = `${market.id}:${s.id}`;
        return {
          selectionId: s.id,
          bets: count(`n:${key}`),
          stakes: count(`st:${key}`),
          potentialPayout: count(`pay:${key}`),
          liability: count(`pay:${key}`) - count(`mk:${market.id}`),
        };
      }),
    })),
  };
}

/** The largest liability of any selection of the match: the matches list's "worst case". */
export const worstLiability = (liability: MatchLiability) =>
  Math.max(0, ...liability.markets.flatMap((m) => m.selections.map((s) => s.liability)));

/** Settlement decided every bet of the match: its counters go (an accumulator's other legs keep theirs). */
export async function clearLiability({ redis, partitions }: Pick<Deps, "redis" | "partitions">, { matchId }: { matchId: string }) {
  await Promise.all(
    allPartitions(partitions).map((p) => Promise.all([redis.del(riskKeys.match(p, matchId)), redis.srem(riskKeys.needy(p), matchId)])),
  );
}

export const bigBetsQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }).strict();

export type BigBet = { betId: string; userId: string; stake: number; potentialReturn: number; legs: string; at: string };

/** The newest bets over BIG_BET_STAKE, from every partition's feed, newest first. */
export async function recentBigBets(
  { redis, partitions }: Pick<Deps, "redis" | "partitions">,
  { limit }: { limit: number },
): Promise<BigBet[]> {
  const feeds = await Promise.all(allPartitions(partitions).map((p) => redis.xrevrange(riskKeys.bigBets(p), "+", "-", "COUNT", limit)));
  return feeds
    .flat()
    .map(([id, fields]) => {
      const bet: Record<string, string> = {};
      for (let i = 0; i < fields.length; i += 2) bet[fields[i]!] = fields[i + 1]!;
      return { time: Number(id.split("-")[0]), bet };
    })
    .sort((a, b) => b.time - a.time)
    .slice(0, limit)
    .map(({ time, bet }) => ({
      betId: bet.bet!,
      userId: bet.user!,
      stake: Number(bet.stake),
      potentialReturn: Number(bet.payout),
      legs: bet.legs!,
      at: new Date(time).toISOString(),
    }));
}
