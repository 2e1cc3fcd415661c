import type { Config } from "@/server/config";
import type { Deps } from "@/server/deps";
import { AppError } from "@/server/errors";
import { LuaScript } from "@/server/platform/lua-script";
import { partitionOfUser, partitionTag } from "@/server/platform/partitions";
import type { RedisClient } from "@/server/platform/redis";
import { liveKeys, logKeys, riskKeys, walletKeys } from "@/server/platform/redis-keys";
import { riskLua } from "@/server/risk/liability";
import { replicatedScripts } from "@/server/platform/replication";
import { parseOdds } from "@/server/odds.shared";
import type { Bet } from "./bets.shared";
import { cashOutAmount } from "./cash-out.shared";
import { selectionRoute } from "./selection-routes";
import { logFormatLua, streamIdTime } from "./write-behind-log";

type CashOutDeps = Pick<Deps, "db" | "redis" | "partitions"> & {
  config: Pick<Config, "CASH_OUT_MARGIN_PERCENT" | "REDIS_REPLICAS_REQUIRED" | "REDIS_REPLICATION_TIMEOUT_MS">;
};

/** The current odds of the legs whose match and market are both OPEN, from the live state (no PostgreSQL read). */
async function openPrices(redis: RedisClient, p: number, selectionIds: string[]): Promise<Map<string, number>> {
  const prices = await Promise.all(
    selectionIds.map(async (selectionId) => {
      const route = await selectionRoute(redis, p, selectionId);
      if (!route) return null;
      const [odds, match, market] = await Promise.all([
        redis.hget(liveKeys.selection(p, selectionId), "odds"),
        redis.hget(liveKeys.match(p, route.matchId), "status"),
        redis.hget(liveKeys.market(p, route.marketId), "status"),
      ]);
      return odds && match === "OPEN" && market === "OPEN" ? ([selectionId, Number(odds)] as const) : null;
    }),
  );
  return new Map(prices.filter((p) => p !== null));
}

const undecidedLegs = (bet: Bet) => bet.legs.filter((leg) => leg.result === "OPEN").map((leg) => leg.selectionId);

/**
 * The bettor's bets as they are now: a cash-out not yet in PostgreSQL shows the bet CASHED_OUT already, and every
 * open bet carries its offer from the live odds. One read of the bettor's cash-outs, one price read per open leg.
 */
export async function withCashOuts(
  deps: Pick<CashOutDeps, "redis" | "partitions" | "config">,
  userId: string,
  bets: Bet[],
): Promise<Bet[]> {
  const p = partitionOfUser(userId, deps.partitions);
  const cashedOut = await deps.redis.hgetall(logKeys.cashOuts(p, userId));
  const open = bets.filter((bet) => !cashedOut[bet.id] && (bet.status === "ACCEPTED" || bet.status === "RECORDED"));
  const prices = await openPrices(deps.redis, p, [...new Set(open.flatMap(undecidedLegs))]);
  return bets.map((bet) => {
    const record = cashedOut[bet.id];
    if (record && bet.status !== "CASHED_OUT") {
      const [amount, streamId] = record.split("|");
      return { ...bet, status: "CASHED_OUT", payout: Number(amount), settledAt: streamIdTime(streamId!).toISOString(), cashOut: null };
    }
    if (!open.includes(bet)) return bet;
    const legs = bet.legs.map((leg) => ({ ...leg, odds: parseOdds(leg.odds) }));
    const amount = cashOutAmount({ stake: bet.stake, legs }, prices, deps.config.CASH_OUT_MARGIN_PERCENT);
    return { ...bet, cashOut: amount === null ? null : { amount } };
  });
}

type CashOutReply = [code: string, detail?: string];

/**
 * A cash-out, one atomic step in the bettor's partition: it checks that the bet is not cashed out yet and that
 * every undecided leg still has the price (and the open match and market) the offer was computed from, then
 * credits the amount to `available` at once (and to `cashingOut` until PostgreSQL has it) and appends the cash-out
 * to the log after the bet. The close's completion marker comes after it in the same stream, so PostgreSQL has the
 * cash-out before the match can be paid out: the payout never pays a cashed-out bet.
 * The bet leaves the live liability of its undecided legs' selections in the same step.
 * KEYS: 1 idempotency, 2 wallet, 3 cash-outs, 4 stream, then per undecided leg: selection, match, market, risk
 * ARGV: 1 key, 2 fingerprint, 3 bet id, 4 user id, 5 amount asked, 6 amount offered (0: none), 7 stake,
 *       8 potential return, 9 single (1/0), then per leg: odds, marketId, selectionId
 */
const cashOutScript = new LuaScript<CashOutReply>(`${logFormatLua}${riskLua}
local prior = redis.call('HGET', KEYS[1], ARGV[1])
if prior then
  local cut = string.find(prior, '\\n', 1, true)
  if string.sub(prior, 1, cut - 1) ~= ARGV[2] then return {'IDEMPOTENCY_KEY_REUSED'} end
  return {'REPLAY'}
end
if redis.call('HEXISTS', KEYS[3], ARGV[3]) == 1 or ARGV[6] == '0' then return {'CASH_OUT_UNAVAILABLE'} end
local legs = (#KEYS - 4) / 4
for i = 1, legs do
  if redis.call('HGET', KEYS[2 + 4 * i], 'status') ~= 'OPEN' or redis.call('HGET', KEYS[3 + 4 * i], 'status') ~= 'OPEN' then
    return {'CASH_OUT_UNAVAILABLE'}
  end
  if redis.call('HGET', KEYS[1 + 4 * i], 'odds') ~= ARGV[7 + 3 * i] then return {'CASH_OUT_CHANGED'} end
end
if ARGV[5] ~= ARGV[6] then return {'CASH_OUT_CHANGED'} end
local amount = tonumber(ARGV[5])
local id = logCashOut(KEYS[4], ARGV[3], ARGV[4], ARGV[5])
redis.call('HINCRBY', KEYS[2], 'available', amount)
redis.call('HINCRBY', KEYS[2], 'cashingOut', amount)
redis.call('HSET', KEYS[3], ARGV[3], ARGV[5] .. '|' .. id)
for i = 1, legs do
  -- A match already paid out (its counters deleted, weight and all) has nothing left to take out.
  local weight, counters = riskRead(KEYS[4 + 4 * i], ARGV[8 + 3 * i], ARGV[9 + 3 * i])
  if weight then riskCount(KEYS[4 + 4 * i], ARGV[8 + 3 * i], ARGV[9 + 3 * i], tonumber(ARGV[7]), tonumber(ARGV[8]), ARGV[9] == '1', -1, nil, counters) end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '\\n' .. ARGV[3])
return {'CASHED_OUT'}
`);

/** POST /api/bets/:id/cash-out: the bet CASHED_OUT with payout = amount, or why not (409), or 503 if in doubt. */
export async function cashOutBet(
  deps: CashOutDeps,
  {
    userId,
    bet,
    amount,
    idempotencyKey,
    current,
  }: { userId: string; bet: Bet; amount: number; idempotencyKey: string; current: () => Promise<Bet> },
): Promise<Bet> {
  const p = partitionOfUser(userId, deps.partitions);
  const legs = bet.status === "ACCEPTED" || bet.status === "RECORDED" ? undecidedLegs(bet) : [];
  // The offer from the prices read now; the script checks they still hold, so the amount is the live offer.
  const prices = await openPrices(deps.redis, p, legs);
  const offered = cashOutAmount(
    { stake: bet.stake, legs: bet.legs.map((leg) => ({ ...leg, odds: parseOdds(leg.odds) })) },
    prices,
    deps.config.CASH_OUT_MARGIN_PERCENT,
  );
  const routes = await Promise.all(legs.map((selectionId) => selectionRoute(deps.redis, p, selectionId)));
  let reply: CashOutReply;
  let replicated: boolean;
  try {
    ({ reply, replicated } = await replicatedScripts(deps.redis, deps.config).run(
      partitionTag(p),
      cashOutScript,
      [
        logKeys.idempotency(p, userId),
        walletKeys.wallet(p, userId),
        logKeys.cashOuts(p, userId),
        logKeys.stream(p),
        ...legs.flatMap((selectionId, i) => [
          liveKeys.selection(p, selectionId),
          liveKeys.match(p, routes[i]?.matchId ?? "none"),
          liveKeys.market(p, routes[i]?.marketId ?? "none"),
          riskKeys.match(p, routes[i]?.matchId ?? "none"),
        ]),
      ],
      [
        // The key space of cash-outs is apart from the bets' in the bettor's idempotency record.
        `cashout:${idempotencyKey}`,
        `${bet.id}|${amount}`,
        bet.id,
        userId,
        amount,
        offered ?? 0,
        bet.stake,
        bet.potentialReturn,
        bet.type === "SINGLE" ? 1 : 0,
        ...legs.flatMap((selectionId, i) => [prices.get(selectionId) ?? 0, routes[i]?.marketId ?? "none", selectionId]),
      ],
    ));
  } catch (error) {
    throw new AppError("UNAVAILABLE", "Cash out cannot be done right now. Try again with the same idempotency key.", {
      cause: String(error),
    });
  }
  const [code] = reply;
  if ((code === "CASHED_OUT" || code === "REPLAY") && !replicated)
    throw new AppError("UNAVAILABLE", "Your cash-out could not be confirmed in time. Try again with the same idempotency key.");
  if (code === "CASHED_OUT" || code === "REPLAY") return current();
  if (code === "IDEMPOTENCY_KEY_REUSED") throw new AppError(code, "This idempotency key was already used for a different cash-out.");
  const now = await current();
  if (code === "CASH_OUT_CHANGED" && now.cashOut)
    throw new AppError(code, `The cash-out offer is now ${now.cashOut.amount}.`, { currentAmount: now.cashOut.amount });
  throw new AppError("CASH_OUT_UNAVAILABLE", "This bet cannot be cashed out now.");
}
