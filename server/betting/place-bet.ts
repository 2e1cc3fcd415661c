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
import { liveKeys, logKeys, riskKeys, walletKeys } from "@/server/platform/redis-keys";
import { riskLua, type RiskConfig } from "@/server/risk/liability";

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
 * KEYS: 1 idempotency, 2 betting, 3 wallet, 4 pending, 5 stream, 6 rate counter, 7 needy matches, 8 big bets,
 *       9 bettor, then per leg: selection, match, market, risk
 * ARGV: 1 key, 2 fingerprint, 3 betId, 4 userId, 5 stake, 6 odds preference, 7 min stake, 8 max stake,
 *       9 max payout, 10 bets per minute, 11 liability on (1/0), 12 default cap, 13 partition, 14 partitions,
 *       15 big-bet stake, then per leg: selectionId, matchId, odds wanted, marketId
 */
const acceptBet = new LuaScript<AcceptReply>(`${logFormatLua}${riskLua}
local function floorProduct(stake, odds)
  -- One factor whose product is exact in a double (a single): plain arithmetic.
  if #odds == 1 and stake * odds[1] < 2 ^ 53 then
    local x = stake * odds[1]
    return string.format('%d', (x - x % 100) / 100)
  end
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
local legs, preference = (#KEYS - 9) / 4, ARGV[6]
local odds, moved, current, caps = {}, {}, {}, {}
for i = 1, legs do
  local selectionId = ARGV[12 + 4 * i]
  local price = redis.call('HGET', KEYS[6 + 4 * i], 'odds')
  local matchState = redis.call('HMGET', KEYS[7 + 4 * i], 'status', 'maxLiability')
  local matchStatus = matchState[1]
  caps[i] = riskCap(matchState[2], ARGV[12])
  if not price or not matchStatus then return {'NOT_FOUND', selectionId} end
  if matchStatus == 'CLOSED' then return {'MATCH_CLOSED', selectionId} end
  if matchStatus ~= 'OPEN' or redis.call('HGET', KEYS[8 + 4 * i], 'status') ~= 'OPEN' then return {'MARKET_SUSPENDED', matchStatus .. '|' .. selectionId} end
  local now, wanted = tonumber(price), tonumber(ARGV[14 + 4 * i])
  if (preference == 'none' and now ~= wanted) or (preference == 'higher' and now < wanted) then
    table.insert(moved, selectionId .. ':' .. price)
  end
  odds[i], current[i] = now, price
end
if #moved > 0 then return {'ODDS_CHANGED', table.concat(moved, ',')} end
local stake = tonumber(ARGV[5])
-- The bettor's stake factor (staff set it, API.md "Trader risk") scales the maximum stake.
local maxStake = math.floor(tonumber(ARGV[8]) * tonumber(redis.call('HGET', KEYS[9], 'stakeFactor') or '100') / 100)
if stake < tonumber(ARGV[7]) then return {'STAKE_TOO_LOW'} end
if stake > maxStake then return {'STAKE_TOO_HIGH', tostring(maxStake)} end
-- An accumulator's odds are the product rounded down; they must fit PostgreSQL's integer column.
local combined = floorProduct(100, odds)
local payout = floorProduct(stake, odds)
if exceeds(payout, tonumber(ARGV[9])) or exceeds(combined, 2147483647) then
  return {'PAYOUT_TOO_HIGH', maxStake .. '|' .. table.concat(current, ',')}
end
payout = tonumber(payout)
-- I14: a single adds payout - stake to its selection's liability (its stake also lowers its market's other
-- selections'); an accumulator adds its whole return to each leg's selection. Checked against this partition's
-- allowance of each leg's cap.
local partition, partitions, tracked = tonumber(ARGV[13]), tonumber(ARGV[14]), ARGV[11] == '1'
local added, room, allowances, newWeights, counters = payout, nil, {}, {}, {}
if legs == 1 then added = payout - stake end
if tracked then
  for i = 1, legs do
    local weight
    weight, counters[i] = riskRead(KEYS[9 + 4 * i], ARGV[15 + 4 * i], ARGV[12 + 4 * i])
    if not weight then
      weight = riskEvenShare(partition, partitions)
      newWeights[i] = weight
    end
    allowances[i] = riskAllowance(caps[i], weight)
    local legRoom = allowances[i] - riskLiability(counters[i])
    if room == nil or legRoom < room then room = legRoom end
    -- Running low here (a quarter left) or refused: ask the rebalancer for weight from the other partitions. A
    -- hint, not the bet's state: a refused bet still changes nothing the bettor or the ledger can see.
    if (legRoom - added) * 4 < allowances[i] then redis.call('SADD', KEYS[7], ARGV[13 + 4 * i]) end
  end
  if added > room then return {'LIABILITY_LIMIT', room .. '|' .. maxStake .. '|' .. table.concat(current, ',')} end
end
local wallet = redis.call('HMGET', KEYS[3], 'available', 'pending')
local available = tonumber(wallet[1] or '0')
if available < stake then return {'INSUFFICIENT_FUNDS', tostring(available)} end
local id, record, legsText
if legs == 1 then
  legsText = ARGV[16] .. ':' .. ARGV[17] .. ':' .. current[1]
  id = logBet(KEYS[5], ARGV[3], ARGV[4], ARGV[16], ARGV[17], ARGV[5], current[1], ARGV[1])
  record = acceptedBetRecord(ARGV[3], id, ARGV[16], ARGV[17], ARGV[5], current[1])
else
  local parts = {}
  for i = 1, legs do parts[i] = ARGV[12 + 4 * i] .. ':' .. ARGV[13 + 4 * i] .. ':' .. current[i] end
  legsText = table.concat(parts, ';')
  id = logAccumulator(KEYS[5], ARGV[3], ARGV[4], legsText, ARGV[5], combined, ARGV[1])
  record = acceptedBetRecord(ARGV[3], id, '', '', ARGV[5], combined, legsText)
end
if tracked then
  for i = 1, legs do riskCount(KEYS[9 + 4 * i], ARGV[15 + 4 * i], ARGV[12 + 4 * i], stake, payout, legs == 1, 1, newWeights[i], counters[i]) end
end
if stake >= tonumber(ARGV[15]) then
  redis.call('XADD', KEYS[8], 'MAXLEN', '~', 200, '*', 'bet', ARGV[3], 'user', ARGV[4], 'stake', stake, 'payout', payout, 'legs', legsText)
end
redis.call('HSET', KEYS[3], 'available', string.format('%d', available - stake), 'pending', string.format('%d', tonumber(wallet[2] or '0') + stake))
redis.call('HSET', KEYS[4], ARGV[3], record)
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '\\n' .. record)
return {'ACCEPTED', record}
`);

// Amounts in messages, e.g. 12.50; the details carry the integer minor units.
const amount = (minor: number) => `${Math.trunc(minor / 100)}.${String(minor % 100).padStart(2, "0")}`;

export type BetLimits = Pick<Config, "BET_MIN_STAKE" | "BET_MAX_STAKE" | "BET_MAX_PAYOUT" | "BET_RATE_LIMIT_PER_MINUTE">;
export type PlaceBetDeps = Pick<Deps, "redis" | "partitions"> & {
  config: BetLimits & RiskConfig & Pick<Config, "REDIS_REPLICAS_REQUIRED" | "REDIS_REPLICATION_TIMEOUT_MS">;
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
      riskKeys.needy(p),
      riskKeys.bigBets(p),
      riskKeys.bettor(p, userId),
      ...legs.flatMap((leg, i) => [
        liveKeys.selection(p, leg.selectionId),
        liveKeys.match(p, routes[i]?.matchId ?? "none"),
        liveKeys.market(p, routes[i]?.marketId ?? "none"),
        riskKeys.match(p, routes[i]?.matchId ?? "none"),
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
      limits.RISK_TRACKING_ENABLED ? 1 : 0,
      limits.MAX_LIABILITY_PER_MATCH,
      p,
      deps.partitions,
      limits.BIG_BET_STAKE,
      ...legs.flatMap((leg, i) => [leg.selectionId, routes[i]?.matchId ?? "none", leg.odds, routes[i]?.marketId ?? "none"]),
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
    case "MARKET_SUSPENDED": {
      // "match status|selectionId": an open match means its market is the one suspended.
      const [matchStatus, selectionId] = detail!.split("|");
      return new AppError(
        code,
        matchStatus === "OPEN" ? "This market is suspended for the moment." : "Betting on this match is not open right now.",
        bet.isAccumulator ? { selectionId } : {},
      );
    }
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
      // The bettor's maximum: BET_MAX_STAKE scaled by their stake factor.
      return new AppError(code, `The maximum stake is ${amount(Number(detail))}.`, { maxStake: Number(detail) });
    case "PAYOUT_TOO_HIGH": {
      // "maximum stake|odds,...": the largest stake whose potential return stays within the payout limit at the
      // current odds of each leg.
      const [bettorMax, odds] = detail!.split("|");
      const maxStake = Math.min(Number(bettorMax), maxStakeWithin(limits.BET_MAX_PAYOUT, odds!.split(",").map(Number)));
      return new AppError(
        "STAKE_TOO_HIGH",
        `The potential return may not exceed ${amount(limits.BET_MAX_PAYOUT)}; the most you can stake at these odds is ${amount(maxStake)}.`,
        {
          maxStake,
          maxPayout: limits.BET_MAX_PAYOUT,
        },
      );
    }
    case "LIABILITY_LIMIT": {
      // "room|maximum stake|odds,...": room = how much more liability this partition takes on the tightest leg.
      const [room, bettorMax, odds] = detail!.split("|");
      const legOdds = odds!.split(",").map(Number);
      // A single adds floor(stake x (odds - 1)) to its selection's liability, an accumulator its whole return.
      const withinRoom = Number(room) < 0 ? 0 : maxStakeWithin(Number(room), bet.isAccumulator ? legOdds : [legOdds[0]! - 100]);
      const maxStake = Math.max(0, Math.min(Number(bettorMax), maxStakeWithin(limits.BET_MAX_PAYOUT, legOdds), withinRoom));
      return new AppError(
        code,
        maxStake >= limits.BET_MIN_STAKE
          ? `This bet would take the house's liability over its limit; the most you can stake now is ${amount(maxStake)}.`
          : "This bet would take the house's liability over its limit: no stake can be accepted on it now.",
        { maxStake },
      );
    }
    case "INSUFFICIENT_FUNDS":
      return new AppError(code, "Your available balance is too low for this stake.", { available: Number(detail) });
    default:
      return new AppError("INTERNAL", `Unexpected acceptance result ${code}.`);
  }
}
