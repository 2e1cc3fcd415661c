import { randomUUID } from "node:crypto";
import type { Config } from "@/server/config";
import type { Deps } from "@/server/deps";
import { logger } from "@/server/platform/logger";
import { LuaScript } from "@/server/platform/lua-script";
import { allPartitions, partitionTag } from "@/server/platform/partitions";
import { liveKeys, riskKeys } from "@/server/platform/redis-keys";
import { replicatedScripts } from "@/server/platform/replication";
import { riskLua } from "./liability";

/**
 * The demarcation's other half (see riskLua): moves cap weight of a match from partitions with room to spare to
 * the partitions that ran low. A transfer is two steps in two partitions, so it is conserving at every instant:
 * the giver takes the weight off (only as much as its own liabilities leave free) and records the transfer in the
 * same step; the receiver adds it once (by transfer id); then the record goes. A crash between the steps leaves
 * the record, and the next run finishes it; a lost step can only leave weight unused, never counted twice. Any
 * number of rebalancers may run at once (every worker runs one): each transfer conserves on its own.
 */

const WEIGHT_TOTAL = 1_000_000;

type RebalanceDeps = Pick<Deps, "redis" | "partitions"> & {
  config: Pick<Config, "MAX_LIABILITY_PER_MATCH" | "REDIS_REPLICAS_REQUIRED" | "REDIS_REPLICATION_TIMEOUT_MS">;
};

// KEYS: 1 risk, 2 live match. ARGV: 1 partition, 2 partitions, 3 default cap. Returns weight, allowance, usage, cap.
const readAllowance = new LuaScript<[number, number, number, number]>(`${riskLua}
local cap = riskCap(redis.call('HGET', KEYS[2], 'maxLiability'), ARGV[3])
local w = riskWeight(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]))
return {w, riskAllowance(cap, w), riskUsage(KEYS[1]), cap}
`);

// KEYS: 1 risk, 2 live match, 3 transfers. ARGV: 1 partition, 2 partitions, 3 default cap, 4 weight, 5 transfer id,
// 6 its record. 1 when given, 0 when this partition's own liabilities need it now.
const giveWeight = new LuaScript<number>(`${riskLua}
local cap = riskCap(redis.call('HGET', KEYS[2], 'maxLiability'), ARGV[3])
local w, x = riskWeight(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])), tonumber(ARGV[4])
if x > w or riskAllowance(cap, w - x) < riskUsage(KEYS[1]) then return 0 end
redis.call('HSET', KEYS[1], 'w', w - x)
redis.call('HSET', KEYS[3], ARGV[5], ARGV[6])
return 1
`);

// KEYS: 1 risk, 2 live match. ARGV: 1 partition, 2 partitions, 3 weight, 4 transfer id. Applies a transfer once; a
// match closed meanwhile takes no bets, so its weight no longer matters (and its counters may be gone).
const receiveWeight = new LuaScript<number>(`${riskLua}
if redis.call('HGET', KEYS[2], 'status') == 'CLOSED' then return 0 end
if redis.call('HEXISTS', KEYS[1], 't:' .. ARGV[4]) == 1 then return 0 end
redis.call('HSETNX', KEYS[1], 'w', riskWeight(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])))
redis.call('HSET', KEYS[1], 't:' .. ARGV[4], 1)
redis.call('HINCRBY', KEYS[1], 'w', ARGV[3])
return 1
`);

// KEYS: 1 transfers. The records still to finish; rewritten, so WAIT after this covers the steps that gave them.
const claimTransfers = new LuaScript<string[]>(`
local records = redis.call('HGETALL', KEYS[1])
if #records > 0 then redis.call('HSET', KEYS[1], unpack(records)) end
return records
`);

type Transfer = { id: string; from: number; to: number; matchId: string; weight: number };

async function receive(deps: RebalanceDeps, transfer: Transfer): Promise<void> {
  const scripts = replicatedScripts(deps.redis, deps.config);
  const { replicated } = await scripts.run(
    partitionTag(transfer.to),
    receiveWeight,
    [riskKeys.match(transfer.to, transfer.matchId), liveKeys.match(transfer.to, transfer.matchId)],
    [transfer.to, deps.partitions, transfer.weight, transfer.id],
  );
  // Unconfirmed: keep the record; the next run applies it (at most once, by its id) and removes it then.
  if (replicated) await deps.redis.hdel(riskKeys.transfers(transfer.from), transfer.id);
}

async function transfer(deps: RebalanceDeps, move: Omit<Transfer, "id">): Promise<boolean> {
  const id = randomUUID();
  const { reply, replicated } = await replicatedScripts(deps.redis, deps.config).run(
    partitionTag(move.from),
    giveWeight,
    [riskKeys.match(move.from, move.matchId), liveKeys.match(move.from, move.matchId), riskKeys.transfers(move.from)],
    [move.from, deps.partitions, deps.config.MAX_LIABILITY_PER_MATCH, move.weight, id, `${move.matchId}|${move.to}|${move.weight}`],
  );
  // Given but not confirmed on a replica: a failover could undo it, so the receiver must not have it yet.
  if (reply === 1 && replicated) await receive(deps, { ...move, id });
  return reply === 1;
}

/** Finishes the transfers a crashed or unconfirmed run left half done. */
async function finishTransfers(deps: RebalanceDeps): Promise<number> {
  let finished = 0;
  for (const from of allPartitions(deps.partitions)) {
    const { reply, replicated } = await replicatedScripts(deps.redis, deps.config).run(
      partitionTag(from),
      claimTransfers,
      [riskKeys.transfers(from)],
      [],
    );
    if (!replicated) continue;
    for (let i = 0; i < reply.length; i += 2) {
      const [matchId, to, weight] = reply[i + 1]!.split("|");
      await receive(deps, { id: reply[i]!, from, to: Number(to), matchId: matchId!, weight: Number(weight) });
      finished += 1;
    }
  }
  return finished;
}

/**
 * One match: each partition that asked (ran low or refused a bet) gets half the room (allowance minus its
 * largest liability) of the partition with the most, as weight. Returns the transfers made.
 */
export async function rebalanceMatch(deps: RebalanceDeps, matchId: string, asking: Set<number>): Promise<number> {
  const states = await Promise.all(
    allPartitions(deps.partitions).map(async (p) => {
      const [weight, allowance, usage, cap] = await readAllowance.run(
        deps.redis,
        [riskKeys.match(p, matchId), liveKeys.match(p, matchId)],
        [p, deps.partitions, deps.config.MAX_LIABILITY_PER_MATCH],
      );
      return { p, weight, room: allowance - usage, cap };
    }),
  );
  const cap = states[0]!.cap;
  if (cap === 0) return 0;
  let moves = 0;
  for (const needy of states.filter((s) => asking.has(s.p)).sort((a, b) => a.room - b.room)) {
    const donor = states.reduce((best, s) => (s.room > best.room ? s : best));
    const weight = Math.min(donor.weight, Math.floor(((donor.room / 2) * WEIGHT_TOTAL) / cap));
    if (donor.room <= needy.room || weight <= 0) continue;
    if (await transfer(deps, { from: donor.p, to: needy.p, matchId, weight })) {
      const room = Math.floor((cap * weight) / WEIGHT_TOTAL);
      Object.assign(donor, { weight: donor.weight - weight, room: donor.room - room });
      Object.assign(needy, { weight: needy.weight + weight, room: needy.room + room });
      moves += 1;
    }
  }
  return moves;
}

/** One pass: half-done transfers first, then every match a partition asked weight for since the last pass. */
export async function rebalanceLiability(deps: RebalanceDeps): Promise<{ transfers: number; finished: number }> {
  const finished = await finishTransfers(deps);
  const asked = new Map<string, Set<number>>();
  for (const p of allPartitions(deps.partitions)) {
    const ids = await deps.redis.smembers(riskKeys.needy(p));
    if (ids.length === 0) continue;
    // Taken before the pass: a partition that runs low again during it asks again.
    await deps.redis.srem(riskKeys.needy(p), ...ids);
    for (const id of ids) asked.set(id, (asked.get(id) ?? new Set()).add(p));
  }
  let transfers = 0;
  for (const [matchId, asking] of asked) transfers += await rebalanceMatch(deps, matchId, asking);
  return { transfers, finished };
}

/** Every worker runs one: a pass, a pause, the next pass. */
export class LiabilityRebalancer {
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<unknown> = Promise.resolve();
  private isStopped = false;

  constructor(
    private readonly deps: RebalanceDeps,
    private readonly pauseMs = 200,
  ) {}

  start() {
    const next = () => {
      this.pass = rebalanceLiability(this.deps)
        .catch((error: unknown) => logger.warn({ err: error }, "liability rebalance failed; the next pass retries"))
        .finally(() => {
          if (!this.isStopped) this.timer = setTimeout(next, this.pauseMs);
        });
    };
    next();
  }

  async stop() {
    this.isStopped = true;
    clearTimeout(this.timer);
    await this.pass;
  }
}
