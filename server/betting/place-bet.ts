import { randomUUID } from "node:crypto";
import { formatOdds, maxStakeWithin } from "@/server/odds.shared";
import type { Config } from "@/server/config";
import type { Deps } from "@/server/deps";
import { AppError, validationError } from "@/server/errors";
import { LuaScript } from "@/server/platform/lua-script";
import { metrics } from "@/server/platform/metrics";
import { partitionOfUser, partitionTag } from "@/server/platform/partitions";
import { replicatedScripts } from "@/server/platform/replication";
import { acceptedBetDto } from "./bet-dto";
import { selectionRoute, type SelectionRoute } from "./selection-routes";
import type { Bet, PlaceBetInput } from "./bets.shared";
import { decodeAcceptedBet, logFormatLua } from "./write-behind-log";
import { liveKeys, logKeys, walletKeys } from "@/server/platform/redis-keys";

type AcceptReply = [code: string, detail?: string];

/**
 * Acceptance of a single or an accumulator, one atomic step in the bettor's partition (every partition holds the
 * live odds of every match): every check on every leg runs before the first write, so a refused bet changes
 * nothing, and an accepted one is reserved and appended to the log together. Redis runs with appendfsync always
 * (checked at start-up), so the reply to this script is sent after the AOF fsync; the bet is acknowledged only once
 * WAIT confirms a replica's fsync too (I10, server/platform/replication.ts).
 *
 * The per-bettor rate limit (S4) is a fixed one-minute window counted in the same step: no extra round trip. The
 * potential return is floor(stake x product of the odds), computed exactly (base 10^7 digits: twelve odds of up to
 * 1000.00 overflow a double's integers).
 *
 * KEYS: 1 idempotency, 2 betting, 3 wallet, 4 pending, 5 stream, 6 rate counter, then per leg: selection, match, market
 * ARGV: 1 key, 2 fingerprint, 3 betId, 4 userId, 5 stake, 6 odds preference, 7 min stake, 8 max stake,
 *       9 max payout, 10 bets per minute, then per leg: selectionId, matchId, odds wanted
 */
const acceptBet = new LuaScript<AcceptReply>(`${logFormatLua}
local function floorProduct(stake, odds)
  local limbs, carry = {}, stake
  repeat table.insert(limbs, carry % 1e7); carry = math.floor(carry / 1e7) until carry == 0
  for _, factor in ipairs(odds) do
    carry = 0
    for i = 1, #limbs do
      local v = limbs[i] * factor + carry
      limbs[i] = v % 1e7
      carry = math.floor(v / 1e7)
    end
    while carry > 0 do table.insert(limbs, carry % 1e7); carry = math.floor(carry / 1e7) end
  end
  local digits = string.format('%d', limbs[#limbs])
  for i = #limbs - 1, 1, -1 do digits = digits .. string.format('%07d', limbs[i]) end
  local kept = #digits - 2 * #odds
  if kept <= 0 then return '0' end
  return string.sub(digits, 1, kept)
end
local function exceeds(decimal, limit)
  return #decimal > 15 or tonumber(decimal) > limit
end
local used = redis.call('INCR', KEYS[6])
if used == 1 then redis.call('PEXPIRE', KEYS[6], 60000) end
if used > tonumber(ARGV[10]) then return {'RATE_LIMITED', tostring(redis.call('PTTL', KEYS[6]))} end
local prior = redis.call('HGET', KEYS[1], ARGV[1])
if prior then
  local cut = string.find(prior, '\\n', 1, true)
  if string.sub(prior, 1, cut - 1) ~= ARGV[2] then return {'IDEMPOTENCY_KEY_REUSED'} end
  return {'REPLAY', string.sub(prior, cut + 1)}
end
if redis.call('HGET', KEYS[2], 'suspended') == '1' then return {'BETTING_SUSPENDED'} end
local legs, preference = (#KEYS - 6) / 3, ARGV[6]
local odds, moved, current = {}, {}, {}
for i = 1, legs do
  local selectionId = ARGV[8 + 3 * i]
  local price = redis.call('HGET', KEYS[4 + 3 * i], 'odds')
  local matchStatus = redis.call('HGET', KEYS[5 + 3 * i], 'status')
  if not price or not matchStatus then return {'NOT_FOUND', selectionId} end
  if matchStatus == 'CLOSED' then return {'MATCH_CLOSED', selectionId} end
  if matchStatus ~= 'OPEN' or redis.call('HGET', KEYS[6 + 3 * i], 'status') ~= 'OPEN' then return {'MARKET_SUSPENDED', matchStatus} end
  local now, wanted = tonumber(price), tonumber(ARGV[10 + 3 * i])
  if (preference == 'none' and now ~= wanted) or (preference == 'higher' and now < wanted) then
    table.insert(moved, selectionId .. ':' .. price)
  end
  odds[i], current[i] = now, price
end
if #moved > 0 then return {'ODDS_CHANGED', table.concat(moved, ',')} end
local stake = tonumber(ARGV[5])
if stake < tonumber(ARGV[7]) then return {'STAKE_TOO_LOW'} end
if stake > tonumber(ARGV[8]) then return {'STAKE_TOO_HIGH'} end
-- An accumulator's odds are the product rounded down; they must fit PostgreSQL's integer column.
local combined = floorProduct(100, odds)
if exceeds(floorProduct(stake, odds), tonumber(ARGV[9])) or exceeds(combined, 2147483647) then
  return {'PAYOUT_TOO_HIGH', table.concat(current, ',')}
end
local available = tonumber(redis.call('HGET', KEYS[3], 'available') or '0')
if available < stake then return {'INSUFFICIENT_FUNDS', tostring(available)} end
local id, record
if legs == 1 then
  id = logBet(KEYS[5], ARGV[3], ARGV[4], ARGV[11], ARGV[12], ARGV[5], current[1], ARGV[1])
  record = acceptedBetRecord(ARGV[3], id, ARGV[11], ARGV[12], ARGV[5], current[1])
else
  local parts = {}
  for i = 1, legs do parts[i] = ARGV[8 + 3 * i] .. ':' .. ARGV[9 + 3 * i] .. ':' .. current[i] end
  local legsText = table.concat(parts, ';')
  id = logAccumulator(KEYS[5], ARGV[3], ARGV[4], legsText, ARGV[5], combined, ARGV[1])
  record = acceptedBetRecord(ARGV[3], id, '', '', ARGV[5], combined, legsText)
end
redis.call('HINCRBY', KEYS[3], 'available', -stake)
redis.call('HINCRBY', KEYS[3], 'pending', stake)
redis.call('HSET', KEYS[4], ARGV[3], record)
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '\\n' .. record)
return {'ACCEPTED', record}
`);

// Amounts in messages, e.g. 12.50; the details carry the integer minor units.
const amount = (minor: number) => `${Math.trunc(minor / 100)}.${String(minor % 100).padStart(2, "0")}`;

export type BetLimits = Pick<Config, "BET_MIN_STAKE" | "BET_MAX_STAKE" | "BET_MAX_PAYOUT" | "BET_RATE_LIMIT_PER_MINUTE">;
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
  const isAccumulator = "legs" in input;
  const legs = isAccumulator ? input.legs : [{ selectionId: input.selectionId, odds: input.odds }];
  const routes = await Promise.all(legs.map((leg) => selectionRoute(redis, p, leg.selectionId)));
  if (isAccumulator) refuseLegsOnOneMatch(routes);
  // The request as the idempotency key remembers it: the same key with anything else is refused.
  const fingerprint = isAccumulator
    ? [legs.map((leg) => `${leg.selectionId}:${leg.odds}`).join(","), input.stake, input.acceptOddsChanges].join("|")
    : [input.selectionId, input.stake, input.odds, input.acceptOddsChanges].join("|");
  let reply: AcceptReply;
  let replicated: boolean;
  try {
    const keys = [
      logKeys.idempotency(p, userId),
      liveKeys.betting(p),
      walletKeys.wallet(p, userId),
      logKeys.pending(p, userId),
      logKeys.stream(p),
      logKeys.rate(p, userId),
      ...legs.flatMap((leg, i) => [
        liveKeys.selection(p, leg.selectionId),
        liveKeys.match(p, routes[i]?.matchId ?? "none"),
        liveKeys.market(p, routes[i]?.marketId ?? "none"),
      ]),
    ];
    ({ reply, replicated } = await replicatedScripts(redis, limits).run(partitionTag(p), acceptBet, keys, [
      input.idempotencyKey,
      fingerprint,
      randomUUID(),
      userId,
      input.stake,
      input.acceptOddsChanges,
      limits.BET_MIN_STAKE,
      limits.BET_MAX_STAKE,
      limits.BET_MAX_PAYOUT,
      limits.BET_RATE_LIMIT_PER_MINUTE,
      ...legs.flatMap((leg, i) => [leg.selectionId, routes[i]?.matchId ?? "none", leg.odds]),
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
  throw refusal(limits, code, detail, { isAccumulator, stake: input.stake, legs });
}

/** 400 for an accumulator with two legs on one match (their results are not independent). */
function refuseLegsOnOneMatch(routes: (SelectionRoute | undefined)[]) {
  const seen = new Set<string>();
  const issues = routes.flatMap((route, i) => {
    if (!route) return [];
    if (!seen.has(route.matchId)) return (seen.add(route.matchId), []);
    return [{ path: `legs.${i}.selectionId`, message: "Each leg must be on a different match." }];
  });
  if (issues.length > 0) throw validationError(issues);
}

type Refused = { isAccumulator: boolean; stake: number; legs: { selectionId: string; odds: number }[] };

function refusal(limits: BetLimits, code: string, detail: string | undefined, bet: Refused): AppError {
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
      return new AppError(code, "No such selection.", bet.isAccumulator ? { selectionId: detail } : {});
    case "MATCH_CLOSED":
      return new AppError(code, "Betting on this match is closed.", bet.isAccumulator ? { selectionId: detail } : {});
    case "MARKET_SUSPENDED":
      return new AppError(
        code,
        detail === "OPEN" ? "This market is suspended for the moment." : "Betting on this match is not open right now.",
      );
    case "ODDS_CHANGED": {
      // "selectionId:odds,...": the legs whose price moved, at their current odds.
      const moved = detail!.split(",").map((leg) => {
        const [selectionId, odds] = leg.split(":");
        return { selectionId: selectionId!, currentOdds: formatOdds(Number(odds)) };
      });
      if (bet.isAccumulator)
        return new AppError(code, `The odds changed on ${moved.length === 1 ? "one leg" : `${moved.length} legs`}.`, { legs: moved });
      return new AppError(code, `The odds changed from ${formatOdds(bet.legs[0]!.odds)} to ${moved[0]!.currentOdds}.`, {
        currentOdds: moved[0]!.currentOdds,
      });
    }
    case "STAKE_TOO_LOW":
      return new AppError(code, `The minimum stake is ${amount(limits.BET_MIN_STAKE)}.`, { minStake: limits.BET_MIN_STAKE });
    case "STAKE_TOO_HIGH":
      return new AppError(code, `The maximum stake is ${amount(limits.BET_MAX_STAKE)}.`, { maxStake: limits.BET_MAX_STAKE });
    case "PAYOUT_TOO_HIGH": {
      // Largest stake whose potential return stays within the payout limit at the current odds ("odds,..." per leg).
      const maxStake = Math.min(limits.BET_MAX_STAKE, maxStakeWithin(limits.BET_MAX_PAYOUT, detail!.split(",").map(Number)));
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
