import { randomUUID } from "node:crypto";
import type { RedisClient } from "@/server/platform/redis";
import { LRUCache } from "lru-cache";
import { formatOdds } from "@/server/odds.shared";
import type { Config } from "@/server/config";
import type { Deps } from "@/server/deps";
import { AppError } from "@/server/errors";
import { LuaScript } from "@/server/platform/lua-script";
import { metrics } from "@/server/platform/metrics";
import { partitionOfUser, partitionTag } from "@/server/platform/partitions";
import { replicatedScripts } from "@/server/platform/replication";
import { acceptedBetDto } from "./bet-dto";
import type { Bet, PlaceBetInput } from "./bets.shared";
import { decodeAcceptedBet, logFormatLua } from "./write-behind-log";
import { liveKeys, logKeys, walletKeys } from "@/server/platform/redis-keys";

type AcceptReply = [code: string, detail?: string];

/**
 * Acceptance, one atomic step in the bettor's partition: every check runs before the first write, so a refused
 * bet changes nothing, and an accepted one is reserved and appended to the log together. Redis runs with
 * appendfsync always (checked at start-up), so the reply to this script is sent after the AOF fsync; the bet is
 * acknowledged only once WAIT confirms a replica's fsync too (I10, server/platform/replication.ts).
 *
 * The per-bettor rate limit (S4) is a fixed one-minute window counted in the same step: no extra round trip.
 *
 * KEYS: 1 idempotency, 2 betting, 3 selection, 4 match, 5 market, 6 wallet, 7 pending, 8 stream, 9 rate counter
 * ARGV: 1 key, 2 fingerprint, 3 betId, 4 userId, 5 selectionId, 6 matchId, 7 stake, 8 odds wanted,
 *       9 odds preference, 10 min stake, 11 max stake, 12 max payout, 13 bets per minute
 */
const acceptBet = new LuaScript<AcceptReply>(`${logFormatLua}
local used = redis.call('INCR', KEYS[9])
if used == 1 then redis.call('PEXPIRE', KEYS[9], 60000) end
if used > tonumber(ARGV[13]) then return {'RATE_LIMITED', tostring(redis.call('PTTL', KEYS[9]))} end
local prior = redis.call('HGET', KEYS[1], ARGV[1])
if prior then
  local cut = string.find(prior, '\\n', 1, true)
  if string.sub(prior, 1, cut - 1) ~= ARGV[2] then return {'IDEMPOTENCY_KEY_REUSED'} end
  return {'REPLAY', string.sub(prior, cut + 1)}
end
if redis.call('HGET', KEYS[2], 'suspended') == '1' then return {'BETTING_SUSPENDED'} end
local odds = redis.call('HGET', KEYS[3], 'odds')
local matchStatus = redis.call('HGET', KEYS[4], 'status')
if not odds or not matchStatus then return {'NOT_FOUND'} end
if matchStatus == 'CLOSED' then return {'MATCH_CLOSED'} end
if matchStatus ~= 'OPEN' or redis.call('HGET', KEYS[5], 'status') ~= 'OPEN' then return {'MARKET_SUSPENDED', matchStatus} end
local current, wanted, preference = tonumber(odds), tonumber(ARGV[8]), ARGV[9]
if (preference == 'none' and current ~= wanted) or (preference == 'higher' and current < wanted) then return {'ODDS_CHANGED', odds} end
local stake = tonumber(ARGV[7])
if stake < tonumber(ARGV[10]) then return {'STAKE_TOO_LOW'} end
if stake > tonumber(ARGV[11]) then return {'STAKE_TOO_HIGH'} end
if math.floor(stake * current / 100) > tonumber(ARGV[12]) then return {'PAYOUT_TOO_HIGH', odds} end
local available = tonumber(redis.call('HGET', KEYS[6], 'available') or '0')
if available < stake then return {'INSUFFICIENT_FUNDS', tostring(available)} end
local id = logBet(KEYS[8], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], odds, ARGV[1])
redis.call('HINCRBY', KEYS[6], 'available', -stake)
redis.call('HINCRBY', KEYS[6], 'pending', stake)
local record = acceptedBetRecord(ARGV[3], id, ARGV[5], ARGV[6], ARGV[7], odds)
redis.call('HSET', KEYS[7], ARGV[3], record)
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '\\n' .. record)
return {'ACCEPTED', record}
`);

// Amounts in messages, e.g. 12.50; the details carry the integer minor units.
const amount = (minor: number) => `${Math.trunc(minor / 100)}.${String(minor % 100).padStart(2, "0")}`;

export type BetLimits = Pick<Config, "BET_MIN_STAKE" | "BET_MAX_STAKE" | "BET_MAX_PAYOUT" | "BET_RATE_LIMIT_PER_MINUTE">;
type SelectionRoute = { matchId: string; marketId: string };

/**
 * Selection -> match/market, per process. A selection never moves to another match or market, so an entry never
 * goes stale, whichever Redis or database asked for it: one memo for the whole process, not one per caller.
 */
const selectionRoutes = new LRUCache<string, SelectionRoute>({ max: 100_000 });

export type PlaceBetDeps = Pick<Deps, "redis" | "partitions"> & {
  config: BetLimits & Pick<Config, "REDIS_REPLICAS_REQUIRED" | "REDIS_REPLICATION_TIMEOUT_MS">;
};

/**
 * Acceptance of one bet, one round trip (its script also counts the per-bettor rate limit). 201 when `isReplay`
 * is false; a replay of the same key and body returns the first bet and reserves nothing.
 */
export async function placeBet(
  deps: PlaceBetDeps,
  { userId, bet: input }: { userId: string; bet: PlaceBetInput },
): Promise<{ bet: Bet; isReplay: boolean }> {
  const { redis, config: limits } = deps;
  const p = partitionOfUser(userId, deps.partitions);
  const route = await selectionRoute(redis, p, input.selectionId);
  // The request as the idempotency key remembers it: the same key with anything else is refused.
  const fingerprint = [input.selectionId, input.stake, input.odds, input.acceptOddsChanges].join("|");
  let reply: AcceptReply;
  let replicated: boolean;
  try {
    const keys = [
      logKeys.idempotency(p, userId),
      liveKeys.betting(p),
      liveKeys.selection(p, input.selectionId),
      liveKeys.match(p, route?.matchId ?? "none"),
      liveKeys.market(p, route?.marketId ?? "none"),
      walletKeys.wallet(p, userId),
      logKeys.pending(p, userId),
      logKeys.stream(p),
      logKeys.rate(p, userId),
    ];
    ({ reply, replicated } = await replicatedScripts(redis, limits).run(partitionTag(p), acceptBet, keys, [
      input.idempotencyKey,
      fingerprint,
      randomUUID(),
      userId,
      input.selectionId,
      route?.matchId ?? "none",
      input.stake,
      input.odds,
      input.acceptOddsChanges,
      limits.BET_MIN_STAKE,
      limits.BET_MAX_STAKE,
      limits.BET_MAX_PAYOUT,
      limits.BET_RATE_LIMIT_PER_MINUTE,
    ]));
  } catch (error) {
    // The outcome is unknown (the script may have run): the idempotency key makes a retry safe.
    throw new AppError("UNAVAILABLE", "Bets cannot be taken right now. Try again with the same idempotency key.", { cause: String(error) });
  }
  const [code, detail] = reply;
  const isTaken = code === "ACCEPTED" || code === "REPLAY";
  // On one disk only (the replica did not confirm in time): not acknowledged. The flusher writes it to PostgreSQL
  // only once a replica holds it, and a retry with the same key answers it then.
  if (isTaken && !replicated) {
    metrics().betsPlaced.inc({ outcome: "NOT_REPLICATED" });
    throw new AppError("UNAVAILABLE", "Your bet could not be confirmed in time. Try again with the same idempotency key.");
  }
  metrics().betsPlaced.inc({ outcome: code });
  if (isTaken) return { bet: acceptedBetDto(p, decodeAcceptedBet(detail!)), isReplay: code === "REPLAY" };
  throw refusal(limits, code, detail, input);
}

async function selectionRoute(redis: RedisClient, p: number, selectionId: string): Promise<SelectionRoute | undefined> {
  const known = selectionRoutes.get(selectionId);
  if (known) return known;
  const [matchId, marketId] = await redis.hmget(liveKeys.selection(p, selectionId), "matchId", "marketId");
  if (!matchId || !marketId) return undefined;
  const route = { matchId, marketId };
  selectionRoutes.set(selectionId, route);
  return route;
}

function refusal(limits: BetLimits, code: string, detail: string | undefined, input: PlaceBetInput): AppError {
  switch (code) {
    case "RATE_LIMITED": {
      const retryAfterSeconds = Math.max(1, Math.ceil(Number(detail) / 1000));
      return new AppError(code, "Too many bets in a short time. Try again in a moment.", { retryAfterSeconds });
    }
    case "IDEMPOTENCY_KEY_REUSED":
      return new AppError(code, "This idempotency key was already used for a different bet.");
    case "BETTING_SUSPENDED":
      return new AppError(code, "Betting is suspended for the moment. Please try again later.");
    case "NOT_FOUND":
      return new AppError(code, "No such selection.");
    case "MATCH_CLOSED":
      return new AppError(code, "Betting on this match is closed.");
    case "MARKET_SUSPENDED":
      return new AppError(
        code,
        detail === "OPEN" ? "This market is suspended for the moment." : "Betting on this match is not open right now.",
      );
    case "ODDS_CHANGED":
      return new AppError(code, `The odds changed from ${formatOdds(input.odds)} to ${formatOdds(Number(detail))}.`, {
        currentOdds: formatOdds(Number(detail)),
      });
    case "STAKE_TOO_LOW":
      return new AppError(code, `The minimum stake is ${amount(limits.BET_MIN_STAKE)}.`, { minStake: limits.BET_MIN_STAKE });
    case "STAKE_TOO_HIGH":
      return new AppError(code, `The maximum stake is ${amount(limits.BET_MAX_STAKE)}.`, { maxStake: limits.BET_MAX_STAKE });
    case "PAYOUT_TOO_HIGH": {
      // Largest stake whose potential return stays within the payout limit at these odds.
      const maxStake = Math.min(limits.BET_MAX_STAKE, Math.floor(((limits.BET_MAX_PAYOUT + 1) * 100 - 1) / Number(detail)));
      return new AppError(
        "STAKE_TOO_HIGH",
        `The potential return may not exceed ${amount(limits.BET_MAX_PAYOUT)}; the most you can stake at these odds is ${amount(maxStake)}.`,
        {
          maxStake,
          maxPayout: limits.BET_MAX_PAYOUT,
        },
      );
    }
    case "INSUFFICIENT_FUNDS":
      return new AppError(code, "Your available balance is too low for this stake.", { available: Number(detail) });
    default:
      return new AppError("INTERNAL", `Unexpected acceptance result ${code}.`);
  }
}
