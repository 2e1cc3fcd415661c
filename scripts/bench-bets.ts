// npm run bench:bets: one run, one table. Bet acceptance (placeBet, no HTTP) against a write-through
// PostgreSQL transaction per bet and against a bare Lua reserve + XADD; the same acceptance with WAIT 1 and group
// commit against no replica and against one [script, WAIT] per bet, and on a 3-primary Cluster against one primary
// with its replica; the flushers draining the backlog against a raw COPY of the same rows; POST /api/bets against a
// no-op POST of the same app; PostgreSQL transactions per accepted bet; closing a match behind a backlog of its
// bets, until it is COMPLETE, against the time the same backlog takes to flush; the payout of that match and its
// wallet credits. Every figure is a ratio to a baseline measured in the same run, on the same data and durability.
import http from "node:http";
import { readdirSync, readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import fc from "fast-check";
import postgres from "postgres";
import type { Redis } from "ioredis";
import { PartitionFlusher, type BatchCommitted } from "@/server/betting/flusher";
import { placeBet, type PlaceBetDeps } from "@/server/betting/place-bet";
import type { PlaceBetInput } from "@/server/betting/bets.shared";
import { betReference, compareStreamIds, streamIdTime } from "@/server/betting/write-behind-log";
import { closeMatch } from "@/server/lifecycle/close-match";
import { applyMatchLiveState, syncLiveState } from "@/server/catalog/live-state";
import { createMatchRoot } from "@/server/catalog/create-match";
import { formatOdds, parseOdds } from "@/server/odds.shared";
import { getConfig, type Config } from "@/server/config";
import { createDatabase, type Database } from "@/server/platform/db";
import { logger, type Logger } from "@/server/platform/logger";
import { createOutboxRelay } from "@/workers/outbox-relay";
import { allPartitions, partitionOfUser, partitionTag } from "@/server/platform/partitions";
import { connectRedis, createRedis } from "@/server/platform/redis";
import { assertRedisIsDurable } from "@/server/platform/redis-durability";
import { primaryConnections, replicatedScripts } from "@/server/platform/replication";
import { logKeys, riskKeys } from "@/server/platform/redis-keys";
import { AppError } from "@/server/errors";
import { LuaScript } from "@/server/platform/lua-script";
import { LiabilityRebalancer } from "@/server/risk/rebalance";
import { seedDemo } from "@/server/seed/seed-demo";
import { settleMatch } from "@/server/lifecycle/settle-match";
import { rebuildWallets } from "@/server/wallet/rebuild-wallets";
import { creditRedisWallet } from "@/server/wallet/redis-wallet";
import type { RedisTopologyKind } from "./lib/local-redis";
import { profiles, startRedis, testPortOffset, type Profile } from "./lib/local-services";
import { waitFor } from "./lib/run";
import { buildIfNeeded, provideServices, startWeb, type ManagedProcess, type Services } from "./lib/stack";

const BETTORS = Number(process.env.BENCH_BETTORS ?? 1000);
// Subjects and baselines take turns, ROUNDS slices of SLICE seconds each, so that load from outside the bench (the
// machine is shared) hits both alike.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const SLICE = Number(process.env.BENCH_SLICE ?? 1.5);
const COUNTED_BETS = 5000; // the accept run whose PostgreSQL transactions are counted
const IN_FLIGHT = 64;
const HTTP_BETTORS = 256;
const PORT = 3350 + testPortOffset;
const STAKE = 100;
const TOP_UP = 9_000_00;
// Bets on one match behind its close, and as many on each of two other matches to measure the flush rate: 3 x
// 100,000 bets of STAKE take 30,000 of each of the 1000 bettors' 100,000, on top of the other runs' ~15,000.
const CLOSE_BACKLOG = Number(process.env.BENCH_CLOSE_BACKLOG ?? 100_000);
// An idle PostgreSQL 15 backend publishes its counters at most this late (PGSTAT_IDLE_INTERVAL is 10 s).
const STATS_SETTLE_MS = 11_000;

// The runs pile hundreds of thousands of bets from few bettors on a few selections: no rate limit, and the
// largest liability cap (the cap is measured on its own, 1c).
const LIMITS_OFF = { BET_RATE_LIMIT_PER_MINUTE: "100000000", MAX_LIABILITY_PER_MATCH: "9000000000" };

const processes: ManagedProcess[] = [];
let stopServices = async () => {};
let restoreSettings = async () => {};

async function setAutovacuum(sql: postgres.Sql, on: boolean) {
  if (on) await sql`alter system reset autovacuum`;
  else await sql`alter system set autovacuum = off`;
  await sql`select pg_reload_conf()`;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Run = { done: number; seconds: number; latencies: number[]; cpu: number[] };

/** IN_FLIGHT callers calling `op(i)` with i = 0, 1, 2...: `count` calls in all, or for `seconds`. */
async function drive(limit: { count: number } | { seconds: number }, op: (i: number) => Promise<void>): Promise<Run> {
  const latencies: number[] = [];
  const start = performance.now();
  const deadline = "seconds" in limit ? start + limit.seconds * 1000 : Infinity;
  const count = "count" in limit ? limit.count : Infinity;
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < count && performance.now() < deadline) {
        const i = next++;
        const t0 = performance.now();
        await op(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { done: latencies.length, seconds: (performance.now() - start) / 1000, latencies: latencies.sort((a, b) => a - b), cpu: [] };
}

/** CPU seconds (user + system) used so far by a process and its descendants, from /proc. */
function processTreeCpuSeconds(rootPid: number): number {
  const stats = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        // Fields after the command's closing parenthesis: state, ppid (4th field), ... utime (14th), stime (15th).
        const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
        return [{ pid: Number(pid), ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) }];
      } catch {
        return []; // exited meanwhile
      }
    });
  const tree = new Set([rootPid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const s of stats) if (!tree.has(s.pid) && tree.has(s.ppid)) grew = tree.add(s.pid).size > 0;
  }
  return stats.filter((s) => tree.has(s.pid)).reduce((sum, s) => sum + s.ticks, 0) / CLOCK_TICKS_PER_SECOND;
}
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds a Redis server has used so far (INFO cpu: its main thread and the rest). */
async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info("cpu");
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, "m").exec(info)?.[1] ?? 0);
  return field("used_cpu_sys") + field("used_cpu_user");
}

/**
 * Each op factory, given a unique key prefix, runs for SLICE seconds in turn, ROUNDS times; one Run per op. With
 * `cpu`, each Run also gets the CPU seconds its slices cost each process `cpu` samples.
 */
async function interleave<K extends string>(
  ops: Record<K, (prefix: string) => (i: number) => Promise<void>>,
  cpu: () => Promise<number[]> = async () => [],
): Promise<Record<K, Run>> {
  const runs = Object.fromEntries(
    Object.keys(ops).map((k) => [k, { done: 0, seconds: 0, latencies: [] as number[], cpu: [] as number[] }]),
  ) as Record<K, Run>;
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of Object.keys(ops) as K[]) {
      const before = await cpu();
      const slice = await drive({ seconds: SLICE }, ops[name](`${name}${round}`));
      const after = await cpu();
      runs[name].done += slice.done;
      runs[name].seconds += slice.seconds;
      runs[name].latencies.push(...slice.latencies);
      runs[name].cpu = after.map((a, i) => (runs[name].cpu[i] ?? 0) + a - before[i]!);
    }
  }
  for (const run of Object.values<Run>(runs)) run.latencies.sort((a, b) => a - b);
  return runs;
}

const rate = (r: Run) => r.done / r.seconds;
const pct = (r: Run, p: number) => r.latencies[Math.min(r.latencies.length - 1, Math.floor((p / 100) * r.latencies.length))]!;
const latency = (r: Run) => `p50 ${pct(r, 50).toFixed(1)} ms, p99 ${pct(r, 99).toFixed(1)} ms`;

// The bare minimum an acceptance must do in Redis: reserve the stake and append the same entry to a stream.
// KEYS: wallet, stream. ARGV: stake, betId, userId, selectionId, matchId, odds, idempotency key.
const bareScript = `
redis.call('HINCRBY', KEYS[1], 'available', -tonumber(ARGV[1]))
return redis.call('XADD', KEYS[2], '*', 'type', 'bet', 'betId', ARGV[2], 'userId', ARGV[3], 'selectionId', ARGV[4],
  'matchId', ARGV[5], 'stake', ARGV[1], 'odds', ARGV[6], 'idempotencyKey', ARGV[7])
`;

const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });

function post(url: string, body: string, cookie: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), cookie } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

type Bettor = { id: string; account: string; email: string };
type Selection = { id: string; odds: number; match_id: string };
type BetOf = (i: number) => { bettor: Bettor; selection: Selection };

/** Bet `bet(i)` through placeBet on `deps`' Redis, under the idempotency key `${prefix}-${i}`. */
const placeOn = (deps: PlaceBetDeps, bet: BetOf) => (prefix: string) => async (i: number) => {
  const { bettor, selection } = bet(i);
  const input: PlaceBetInput = {
    selectionId: selection.id,
    stake: STAKE,
    odds: selection.odds,
    idempotencyKey: `${prefix}-${i}`,
    acceptOddsChanges: "none",
  };
  const { isReplay } = await placeBet(deps, { userId: bettor.id, bet: input });
  if (isReplay) throw new Error("unexpected replay");
};

/** What every measurement shares: the seeded stack, its connections, and how to place a bet in-process. */
type Bench = {
  services: Services;
  config: Config;
  partitions: number[];
  db: Database;
  sql: postgres.Sql;
  redis: Redis;
  bettors: Bettor[];
  selections: Selection[];
  betOf: BetOf;
  placementDeps: PlaceBetDeps;
  placeWithoutRiskWith: (bet: BetOf) => (prefix: string) => (i: number) => Promise<void>;
  placeWith: (bet: BetOf) => (prefix: string) => (i: number) => Promise<void>;
  placeAccumulatorWith: (bettor: Bettor, legs: Selection[], idempotencyKey: string) => Promise<void>;
  /** `work`'s result and the PostgreSQL transactions of the bench database while it ran. */
  transactionsDuring<T>(work: () => Promise<T>): Promise<[T, number]>;
  quiet: Logger;
  close(): Promise<void>;
};

async function setUp(): Promise<Bench> {
  const services = await provideServices(profiles.bench, { name: "bookmaker_bench_bets", fresh: true });
  stopServices = services.stop;
  const config = getConfig({
    ...process.env,
    DATABASE_URL: services.databaseUrl,
    REDIS_URL: services.redisUrl,
    ...LIMITS_OFF,
  });
  const partitions = allPartitions(config.WRITE_BEHIND_PARTITIONS);
  const { db, client: sql } = createDatabase(services.databaseUrl, { max: 4 });
  const redis = createRedis(services.redisUrl);
  console.log(`Seeding ${BETTORS} bettors...`);
  await seedDemo({ db }, { bettors: BETTORS });
  // The seed's 1000.00 lasts 1000 bets a bettor; the full run places more. A top-up through the ledger, as a deposit.
  await sql`
    insert into ledger_entries (kind, reference, from_account_id, to_account_id, amount)
    select 'DEPOSIT', 'bench-top-up-' || a.id, (select id from accounts where kind = 'CASH'), a.id, ${TOP_UP}
    from accounts a join users u on u.id = a.user_id
    where a.kind = 'CUSTOMER' and u.email like 'bettor-%@example.com'`;
  // No worker runs: the seed's deposits reach the Redis wallets and its matches the live state directly.
  await rebuildWallets({ db, redis, partitions: partitions.length });
  await syncLiveState({ db, redis, partitions: partitions.length });
  await buildIfNeeded();
  // Autovacuum workers visit the database every few seconds and each visit counts transactions: off for the run
  // (restored at the end), so that the counts below are the application's alone.
  await sql`vacuum analyze`;
  await setAutovacuum(sql, false);
  restoreSettings = () => setAutovacuum(sql, true);

  const bettors = await sql<Bettor[]>`
    select u.id, a.id as account, u.email from users u join accounts a on a.user_id = u.id and a.kind = 'CUSTOMER'
    where u.email like 'bettor-%@example.com' order by u.email`;
  const selections = await sql<Selection[]>`
    select s.id, s.odds, m.id as match_id from selections s join markets k on k.id = s.market_id join matches m on m.id = k.match_id
    where m.status = 'OPEN' and k.status = 'OPEN' order by s.id`;
  const betOf: BetOf = (i) => ({ bettor: bettors[i % bettors.length]!, selection: selections[i % selections.length]! });

  // PostgreSQL transactions of the bench database (every statement outside a block is one), read on a connection
  // of its own after every backend has published its counters; the first read is itself one transaction.
  const stats = postgres(services.databaseUrl, { max: 1, fetch_types: false, onnotice: () => {} });
  const transactions = async () =>
    Number((await stats`select xact_commit + xact_rollback as n from pg_stat_database where datname = current_database()`)[0]!.n);
  await transactions(); // connected and settled before the first count
  async function transactionsDuring<T>(work: () => Promise<T>): Promise<[T, number]> {
    await sleep(STATS_SETTLE_MS);
    const before = await transactions();
    const result = await work();
    await sleep(STATS_SETTLE_MS);
    return [result, (await transactions()) - before - 1];
  }

  const placementRedis = createRedis(services.redisUrl);
  const placementDeps = { redis: placementRedis, config, partitions: partitions.length };
  const placeWith = (bet: BetOf) => placeOn(placementDeps, bet);
  const placeWithoutRiskWith = (bet: BetOf) => placeOn({ ...placementDeps, config: { ...config, RISK_TRACKING_ENABLED: false } }, bet);
  const placeAccumulatorWith = async (bettor: Bettor, legs: Selection[], idempotencyKey: string) => {
    const bet = {
      legs: legs.map((s) => ({ selectionId: s.id, odds: s.odds })),
      stake: STAKE,
      idempotencyKey,
      acceptOddsChanges: "any" as const,
    };
    await placeBet(placementDeps, { userId: bettor.id, bet });
  };
  const quiet = logger.child({});
  quiet.level = "warn";

  return {
    services,
    config,
    partitions,
    db,
    sql,
    redis,
    bettors,
    selections,
    betOf,
    placementDeps,
    placeWith,
    placeWithoutRiskWith,
    placeAccumulatorWith,
    transactionsDuring,
    quiet,
    async close() {
      await restoreSettings();
      await stats.end();
      await sql.end();
      redis.disconnect();
      placementRedis.disconnect();
      agent.destroy();
      await services.stop();
    },
  };
}

// 1-2. Acceptance in-process (its bets are the flush backlog) against the bare Lua loop on scratch keys and the
// write-through transaction.
async function measureAcceptance({
  services,
  config,
  partitions,
  sql,
  betOf,
  placeWith,
  placeWithoutRiskWith,
  placeAccumulatorWith,
  selections,
  bettors,
  transactionsDuring,
}: Bench) {
  console.log("Acceptance runs...");
  const [{ id: stakesAccount }] = (await sql`select id from accounts where kind = 'STAKES'`) as unknown as [{ id: string }];
  const bareRedis = createRedis(services.redisUrl);
  const bareLua = new LuaScript<string>(bareScript);
  const bareArgs = (prefix: string, i: number) => {
    const { bettor, selection } = betOf(i);
    const tag = partitionTag(partitionOfUser(bettor.id, partitions.length));
    const keys = [`bm:${tag}:bench:wallet:${bettor.id}`, `bm:${tag}:bench:bets`];
    return { tag, keys, args: [STAKE, randomUUID(), bettor.id, selection.id, selection.match_id, selection.odds, `${prefix}-${i}`] };
  };
  // On one disk: the script alone. On two: through the same group committer as acceptance (WAIT 1).
  const bareAccept = (prefix: string) => async (i: number) => {
    const { keys, args } = bareArgs(prefix, i);
    await bareLua.run(bareRedis, keys, args);
  };
  const bareDurableAccept = (prefix: string) => async (i: number) => {
    const { tag, keys, args } = bareArgs(prefix, i);
    const { replicated } = await replicatedScripts(bareRedis, config).run(tag, bareLua, keys, args);
    if (!replicated) throw new Error("the replica did not confirm a bare bet");
  };
  const place = placeWith(betOf);
  // 4-leg accumulators: one selection of each of four consecutive matches.
  const matchIds = [...new Set(selections.map((s) => s.match_id))];
  const byMatch = matchIds.map((id) => selections.filter((s) => s.match_id === id));
  const placeAccumulators = (prefix: string) => async (i: number) => {
    const legs = [0, 1, 2, 3].map((k) => byMatch[(i + k) % byMatch.length]![i % byMatch[(i + k) % byMatch.length]!.length]!);
    await placeAccumulatorWith(bettors[i % bettors.length]!, legs, `${prefix}-${i}`);
  };
  await drive({ count: 2000 }, bareAccept("warm"));
  await drive({ count: 2000 }, bareDurableAccept("warm-durable"));
  await drive({ count: 2000 }, place("warm"));
  const [counted, transactions] = await transactionsDuring(() => drive({ count: COUNTED_BETS }, place("counted")));

  // Write-through: one transaction per bet, the bet row and its STAKE debit through the ledger (the trigger moves
  // the balances), committed with PostgreSQL's default synchronous_commit = on.
  const wt = postgres(services.databaseUrl, { max: IN_FLIGHT, onnotice: () => {} });
  const writeThrough = (prefix: string) => async (i: number) => {
    const { bettor, selection } = betOf(i);
    const id = randomUUID();
    await wt.begin(async (tx) => {
      await tx`insert into bets (id, reference, user_id, selection_id, match_id, stake, odds, idempotency_key, partition, stream_id, accepted_at)
        values (${id}, ${`W-${prefix}-${i}`}, ${bettor.id}, ${selection.id}, ${selection.match_id}, ${STAKE}, ${selection.odds}, ${`${prefix}-${i}`},
          ${partitionOfUser(bettor.id, partitions.length)}, 'write-through', now())`;
      await tx`insert into ledger_entries (kind, reference, from_account_id, to_account_id, amount) values ('STAKE', ${id}, ${bettor.account}, ${stakesAccount}, ${STAKE})`;
    });
  };
  // The fairest write-through a good engineer would build: the bet row and the bettor's own debit with its
  // no-credit check, one transaction, synchronous_commit on; no row shared between bettors (house totals would be
  // aggregated from the bets apart). The debit is on a scratch copy of the balances, since the ledger's trigger
  // (rightly) refuses a direct balance update.
  await sql`create table bench_balances as select id as account, balance from accounts where kind = 'CUSTOMER'`;
  await sql`alter table bench_balances add primary key (account), add check (balance >= 0)`;
  const writeThroughFair = (prefix: string) => async (i: number) => {
    const { bettor, selection } = betOf(i);
    const id = randomUUID();
    await wt.begin(async (tx) => {
      const debited =
        await tx`update bench_balances set balance = balance - ${STAKE} where account = ${bettor.account} and balance >= ${STAKE} returning 1`;
      if (debited.length === 0) throw new Error("insufficient funds");
      await tx`insert into bets (id, reference, user_id, selection_id, match_id, stake, odds, idempotency_key, partition, stream_id, accepted_at)
        values (${id}, ${`F-${prefix}-${i}`}, ${bettor.id}, ${selection.id}, ${selection.match_id}, ${STAKE}, ${selection.odds}, ${`${prefix}-${i}`},
          ${partitionOfUser(bettor.id, partitions.length)}, 'write-through', now())`;
    });
  };
  await drive({ count: 200 }, writeThrough("wtwarm"));
  await drive({ count: 200 }, writeThroughFair("fairwarm"));
  const {
    accept,
    bare,
    wt: writeThroughRun,
    fair: writeThroughFairRun,
    acca,
    noRisk,
    bareDurable,
  } = await interleave({
    bare: bareAccept,
    bareDurable: bareDurableAccept,
    accept: place,
    wt: writeThrough,
    fair: writeThroughFair,
    acca: placeAccumulators,
    noRisk: placeWithoutRiskWith(betOf),
  });
  await sql`drop table bench_balances`;
  await wt.end();
  for (const p of partitions) await bareRedis.del(`bm:${partitionTag(p)}:bench:bets`);
  bareRedis.disconnect();
  return {
    accept,
    bare,
    bareDurable,
    writeThrough: writeThroughRun,
    writeThroughFair: writeThroughFairRun,
    acca,
    noRisk,
    counted,
    transactions,
  };
}

// 1c. What the liability cap's demarcation costs in refusals: bets on one match with a small cap, from bettors of
// every partition, refused LIABILITY_LIMIT in their partition while the partitions together still had room for
// them (the sum of every partition's liability of the selection, plus the bet, within the cap). Once with the
// weights left at their even shares, once with the rebalancer moving them as the workers do.
const CAP_BETS = Number(process.env.BENCH_CAP_BETS ?? 3000);
const CAP = 200_000;
async function measureCapRefusals({ db, sql, redis, partitions, bettors, placementDeps, config }: Bench) {
  console.log("Liability cap runs...");
  // Matches of their own: the other runs bet on every seeded match, far past any small cap.
  const [staff] = await sql<{ id: string; email: string }[]>`select id, email from users where role = 'staff' limit 1`;
  const liveDeps = { redis, partitions: partitions.length };
  const cappedMatch = async (name: string) => {
    const match = await createMatchRoot(
      { db },
      {
        actor: { ...staff!, role: "staff" },
        sport: "Football",
        competition: "Cap Bench",
        home: `Cap ${name} ${randomUUID().slice(0, 6)}`,
        away: `Cap ${name} away`,
        startsAt: new Date(Date.now() + 86_400_000).toISOString(),
        odds: { home: 210, draw: 340, away: 360 },
        markets: [],
      },
    );
    await applyMatchLiveState(liveDeps, { match: { ...match, maxLiability: CAP } });
    const market = match.markets[0]!;
    return market.selections.map((s) => ({ match_id: match.id, market_id: market.id, selection_id: s.id, odds: parseOdds(s.odds) }));
  };
  // Unbiased: fast-check favours small values by default, which would drain the first few bettors.
  const random = fc.sample(fc.noBias(fc.tuple(fc.nat(bettors.length - 1), fc.nat(2), fc.integer({ min: 100, max: 2_000 }))), {
    numRuns: CAP_BETS,
    seed: 7,
  });
  const run = async (name: string, from: Bettor[], rebalancer: LiabilityRebalancer | null) => {
    const selections = await cappedMatch(name);
    rebalancer?.start();
    let refused = 0;
    let needless = 0;
    let unused = 0;
    for (const [n, [who, which, stake]] of random.entries()) {
      const selection = selections[which]!;
      const bet = { selectionId: selection.selection_id, stake, odds: selection.odds, idempotencyKey: `cap-${name}-${n}` };
      try {
        await placeBet(placementDeps, { userId: from[who % from.length]!.id, bet: { ...bet, acceptOddsChanges: "none" } });
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== "LIABILITY_LIMIT") throw error;
        refused += 1;
        const hashes = await Promise.all(partitions.map((p) => redis.hgetall(riskKeys.match(p, selection.match_id))));
        const sum = (field: string) => hashes.reduce((total, h) => total + Number(h[field] ?? 0), 0);
        const liability = sum(`pay:${selection.market_id}:${selection.selection_id}`) - sum(`mk:${selection.market_id}`);
        if (liability + Math.floor((stake * selection.odds) / 100) - stake <= CAP) {
          needless += 1;
          unused += Math.min(1, (CAP - liability) / CAP);
        }
      }
    }
    await rebalancer?.stop();
    return { refused, needless, unusedShare: needless > 0 ? unused / needless : 0 };
  };
  const rebalancer = () => new LiabilityRebalancer({ redis, partitions: partitions.length, config }, 20);
  // Uniform: bettors of every partition. Skewed: only the bettors of two partitions bet on the match.
  const skewed = bettors.filter((b) => partitionOfUser(b.id, partitions.length) < 2);
  return {
    uniformFixed: await run("uniform-even", bettors, null),
    uniformRebalanced: await run("uniform-rebalanced", bettors, rebalancer()),
    skewedFixed: await run("skewed-even", skewed, null),
    skewedRebalanced: await run("skewed-rebalanced", skewed, rebalancer()),
  };
}

// 2b. The second disk, and a Cluster: the same acceptance (placeBet, IN_FLIGHT in flight, the same bettors and
// selections) on the bench's primary and its replica with WAIT 1 and group commit, on the same without group
// commit (each bet alone, one pipeline [script, WAIT]), on a lone primary without WAIT (REDIS_REPLICAS_REQUIRED=0)
// and on a 3-primary, 3-replica Cluster with WAIT 1 and group commit, taking turns. The two extra topologies get
// the live state and the wallets from the same PostgreSQL database, as setUp() gave the bench's own Redis, and are
// stopped right after, before the runs they would only slow down. The primary's bets join the flush backlog.
async function measureTopologies({ services, config, partitions, db, betOf }: Bench) {
  console.log("Acceptance per Redis topology...");
  const single = await extraTopology({ ...profiles.bench, name: "bench/single", redisPort: SINGLE_PORT }, "single", services, db, {
    REDIS_REPLICAS_REQUIRED: "0",
    REDIS_ALLOW_UNSAFE: "true",
  });
  try {
    const cluster = await extraTopology(profiles.bench, "cluster", services, db);
    try {
      const primaryRedis = createRedis(services.redisUrl);
      const primary = { redis: primaryRedis, config, partitions: partitions.length };
      // Each bet alone, one pipeline [script, WAIT]: a connection whose committer never groups.
      const ungroupedRedis = createRedis(services.redisUrl);
      replicatedScripts(ungroupedRedis, config, { isGrouped: false });
      const ops = {
        noReplica: placeOn(single.deps, betOf),
        grouped: placeOn(primary, betOf),
        ungrouped: placeOn({ ...primary, redis: ungroupedRedis }, betOf),
        cluster: placeOn(cluster.deps, betOf),
      };
      for (const [name, op] of Object.entries(ops)) await drive({ count: name === "ungrouped" ? 300 : 2000 }, op(`${name}-warm`));
      const runs = await interleave(ops);
      primaryRedis.disconnect();
      ungroupedRedis.disconnect();
      return runs;
    } finally {
      await cluster.stop();
    }
  } finally {
    await single.stop();
  }
}

// The lone primary's port: beside the bench Cluster's six, below the ephemeral range (bus ports are 100 above).
const SINGLE_PORT = profiles.bench.clusterBasePort + 6;

/** A private Redis of the given topology, emptied, with the live state and wallets of `db`, and placeBet's deps. */
async function extraTopology(
  profile: Profile,
  kind: RedisTopologyKind,
  services: Services,
  db: Database,
  env: Record<string, string> = {},
) {
  const topology = await startRedis(profile, kind);
  try {
    const config = getConfig({
      ...process.env,
      DATABASE_URL: services.databaseUrl,
      REDIS_URL: topology.url,
      REDIS_CLUSTER_NODES: topology.clusterNodes.join(","),
      ...LIMITS_OFF,
      ...env,
    });
    const redis = connectRedis(config);
    await assertRedisIsDurable(redis, config);
    await Promise.all((await primaryConnections(redis)).map((node) => node.flushall()));
    const deps = { db, redis, partitions: config.WRITE_BEHIND_PARTITIONS };
    await rebuildWallets(deps);
    await syncLiveState(deps);
    return {
      deps: { redis, config, partitions: deps.partitions } satisfies PlaceBetDeps,
      async stop() {
        redis.disconnect();
        await topology.stop();
      },
    };
  } catch (error) {
    await topology.stop();
    throw error;
  }
}

// 4. HTTP: POST /api/bets against the no-op POST /api/health/live, bettors signed in, sessions in the Redis cache.
async function measureHttp({ services, sql, redis, bettors, selections, betOf, transactionsDuring }: Bench) {
  console.log("HTTP runs...");
  const base = `http://127.0.0.1:${PORT}`;
  const web = startWeb(PORT, {
    DATABASE_URL: services.databaseUrl,
    REDIS_URL: services.redisUrl,
    LOG_LEVEL: "error",
    ...LIMITS_OFF,
    LOGIN_MAX_ATTEMPTS_PER_IP: "100000000",
  });
  processes.push(web);
  // Live, not healthy: /api/health also wants a worker's heartbeat, and no worker runs here.
  await waitFor(base, async () => (await fetch(`${base}/api/health/live`)).ok, 90_000);
  const cookies: string[] = [];
  for (let i = 0; i < HTTP_BETTORS; i += 4) {
    const batch = bettors.slice(i, Math.min(i + 4, HTTP_BETTORS));
    const signedIn = await Promise.all(
      batch.map(async (b) => {
        const res = await fetch(`${base}/api/auth/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email: b.email, password: "password123" }),
        });
        const cookie = res.headers.getSetCookie().find((c) => c.startsWith("bm_session="));
        if (res.status !== 200 || !cookie) throw new Error(`login of ${b.email} failed: ${res.status}`);
        return cookie.split(";")[0]!;
      }),
    );
    cookies.push(...signedIn);
  }
  // Fill the session cache, and warm both routes up, before anything is counted.
  for (const cookie of cookies) {
    const me = await fetch(`${base}/api/auth/me`, { headers: { cookie } });
    if (me.status !== 200) throw new Error(`GET /api/auth/me answered ${me.status}`);
  }
  const httpBet = (prefix: string) => async (i: number) => {
    const { selection } = betOf(i);
    const body = JSON.stringify({
      selectionId: selection.id,
      stake: STAKE,
      odds: formatOdds(selection.odds),
      idempotencyKey: `${prefix}-${i}`,
    });
    const status = await post(`${base}/api/bets`, body, cookies[i % cookies.length]!);
    if (status !== 201) throw new Error(`POST /api/bets answered ${status}`);
  };
  const noopBody = JSON.stringify({
    selectionId: selections[0]!.id,
    stake: STAKE,
    odds: formatOdds(selections[0]!.odds),
    idempotencyKey: "noop",
  });
  const noop = async (i: number): Promise<void> => {
    const status = await post(`${base}/api/health/live`, noopBody, cookies[i % cookies.length]!);
    if (status !== 204) throw new Error(`POST /api/health/live answered ${status}`);
  };
  await drive({ count: 1000 }, httpBet("http-warm"));
  await drive({ count: 1000 }, noop);
  await sql`vacuum analyze`; // the logins' sessions
  // The no-op touches neither PostgreSQL nor Redis: every transaction counted here is the bets'.
  // Per request, what the web process (with its children) and the primary and replica Redis cost in CPU.
  const replica = createRedis(`redis://127.0.0.1:${profiles.bench.replicaPort}`);
  const cpu = async () => [processTreeCpuSeconds(web.child.pid!), await redisCpuSeconds(redis), await redisCpuSeconds(replica)];
  const [{ bets, noop: noopRun }, transactions] = await transactionsDuring(() => interleave({ noop: () => noop, bets: httpBet }, cpu));
  replica.disconnect();
  await Promise.all(processes.map((p) => p.stop(2_000)));
  return { bets, noop: noopRun, transactions };
}

type Flush = { seconds: number; startedAt: number; batches: BatchCommitted[] };
type FlushUntil = (isDone: (batch?: BatchCommitted) => boolean, atStart?: () => Promise<void>, timeoutMs?: number) => Promise<Flush>;

// The flush machinery, as the worker runs it: one PartitionFlusher per partition on whatever the streams hold,
// until `isDone` (asked after every committed batch, and once `atStart` has finished) says so. `atStart` runs as
// soon as the flushers are started, in the same tick, before any of them has read its stream.
function flushMachinery({ services, config, partitions, redis, quiet }: Bench): { flushUntil: FlushUntil; end(): Promise<void> } {
  const flushDb = createDatabase(services.databaseUrl, { max: partitions.length });
  async function flushUntil(
    isDone: (batch?: BatchCommitted) => boolean,
    atStart: () => Promise<void> = async () => {},
    timeoutMs = 600_000,
  ): Promise<Flush> {
    const batches: BatchCommitted[] = [];
    const flushers: PartitionFlusher[] = [];
    let timer: NodeJS.Timeout | undefined;
    const startedAt = Date.now();
    const start = performance.now();
    try {
      const end = await new Promise<number>((done, fail) => {
        timer = setTimeout(
          () => fail(new Error(`flush not done after ${timeoutMs / 1000} s (${batches.length} batches committed)`)),
          timeoutMs,
        );
        for (const p of partitions) {
          const flusher = new PartitionFlusher(
            { db: flushDb.db, redis, partitions: partitions.length, config },
            {
              partition: p,
              reader: createRedis(services.redisUrl, { maxRetriesPerRequest: null }),
              batchSize: config.FLUSH_BATCH_SIZE,
              log: quiet,
              onBatchCommitted: (batch) => {
                batches.push(batch);
                if (isDone(batch)) done(performance.now());
              },
            },
          );
          flushers.push(flusher);
          flusher.start();
        }
        atStart().then(() => isDone() && done(performance.now()), fail);
      });
      return { seconds: (end - start) / 1000, startedAt, batches };
    } finally {
      clearTimeout(timer);
      await Promise.all(flushers.map((f) => f.stop()));
    }
  }
  return { flushUntil, end: () => flushDb.client.end() };
}

const allFlushed = (bets: number) => {
  let flushed = 0;
  return (batch?: BatchCommitted) => (flushed += batch?.inserted ?? 0) >= bets;
};
const meanBatchMs = (f: Flush) => f.batches.reduce((sum, b) => sum + b.committedAt - b.startedAt, 0) / f.batches.length;
const sinceStart = (f: Flush, at: number) => (at - f.startedAt) / 1000;
const s2 = (seconds: number) => `${seconds.toFixed(2)} s`;
// When each partition's last batch committed, after the start: the slowest one sets the flush time.
const drainSpread = (f: Flush, partitions: number[]) => {
  const last = partitions.map((p) => sinceStart(f, Math.max(...f.batches.filter((b) => b.partition === p).map((b) => b.committedAt))));
  return `${Math.min(...last).toFixed(2)}-${s2(Math.max(...last))}`;
};

// 3. Flush the backlog (everything the service and HTTP runs accepted), then COPY the same rows raw. Autovacuum is
// back on, as in production, and starts from clean tables: the write-through rounds left dead row versions.
async function measureFlush({ services, partitions, sql, redis }: Bench, flushUntil: FlushUntil) {
  console.log("Flush runs...");
  await restoreSettings();
  restoreSettings = async () => {};
  await sql`vacuum analyze`;
  const columns = [
    "id",
    "reference",
    "user_id",
    "type",
    "selection_id",
    "match_id",
    "stake",
    "odds",
    "idempotency_key",
    "partition",
    "stream_id",
    "accepted_at",
  ];
  const copyText: string[] = [];
  let backlog = 0;
  for (const p of partitions) {
    const entries = (await redis.xrange(logKeys.stream(p), "-", "+")) as [string, string[]][];
    backlog += entries.length;
    const lines = entries.map(([streamId, fields]) => {
      const f: Record<string, string> = {};
      for (let i = 0; i < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
      // An accumulator (its one row; its legs are not copied) has no selection or match of its own.
      return [
        f.betId,
        betReference(p, streamId),
        f.userId,
        f.type === "acca" ? "ACCUMULATOR" : "SINGLE",
        f.selectionId ?? "\\N",
        f.matchId ?? "\\N",
        f.stake,
        f.odds,
        f.idempotencyKey,
        p,
        streamId,
        streamIdTime(streamId).toISOString(),
      ].join("\t");
    });
    if (lines.length > 0) copyText.push(lines.join("\n") + "\n");
  }

  const flush = await flushUntil(allFlushed(backlog));
  const rate = backlog / flush.seconds;
  const [{ n: recorded }] = (await sql`select count(*)::int as n from bets where stream_id <> 'write-through'`) as unknown as [
    { n: number },
  ];
  if (recorded !== backlog) throw new Error(`${recorded} bets in PostgreSQL after the flush, ${backlog} accepted`);

  await sql`create table bets_copy (like bets including all)`;
  const copySql = postgres(services.databaseUrl, { max: partitions.length, onnotice: () => {} });
  const copyStart = performance.now();
  await Promise.all(
    copyText.map(async (text) =>
      pipeline(Readable.from([text]), await copySql`copy bets_copy (${copySql(columns)}) from stdin`.writable()),
    ),
  );
  const copyRate = backlog / ((performance.now() - copyStart) / 1000);
  await copySql.end();
  await sql`drop table bets_copy`;
  return { rate, copyRate, backlog, drain: flush };
}

// 5. Close -> COMPLETE. Three backlogs of CLOSE_BACKLOG bets, each on one match of its own (the same three-way
// market, bettors and partitions, so the same per-partition split), each accepted through placeBet while no
// flusher runs, then drained by the flushers. The middle one is the close: the flushers start and the match is
// closed in the same instant, so its completion markers go behind its whole backlog, and the match turns
// COMPLETE when the last partition's marker commits; both clocks start with the same backlog queued. The two
// around it measure the flush rate on the same data, one before and one after, because each flush is slower
// than the last by what the growing tables cost and the run-to-run noise of a shared machine is large.
// (Reusing the flush above is not done on purpose: its backlog spans every match and its size is whatever the
// timed runs accepted, and closing a match at its start would time the same drain twice, not test a prediction.)
async function measureCloseToComplete({ partitions, db, sql, redis, bettors, selections, placeWith }: Bench, flushUntil: FlushUntil) {
  console.log("Close -> COMPLETE runs...");
  const [beforeMatch, closedMatch, afterMatch] = [...new Set(selections.map((s) => s.match_id))];
  if (!afterMatch) throw new Error("the seed has fewer than three open matches");
  const onMatch = (matchId: string): BetOf => {
    const own = selections.filter((s) => s.match_id === matchId);
    return (i) => ({ bettor: bettors[i % bettors.length]!, selection: own[i % own.length]! });
  };
  const queued = async () => (await Promise.all(partitions.map((p) => redis.xlen(logKeys.stream(p))))).reduce((a, b) => a + b, 0);
  async function pileUp(matchId: string, prefix: string) {
    await drive({ count: CLOSE_BACKLOG }, placeWith(onMatch(matchId))(prefix));
    if ((await queued()) !== CLOSE_BACKLOG) throw new Error(`${await queued()} entries queued, ${CLOSE_BACKLOG} expected`);
    // The same start for every flush: no dead row versions to trip over, no checkpoint due halfway.
    await sql`vacuum analyze`;
    await sql`checkpoint`;
  }
  async function rateRun(matchId: string, prefix: string) {
    await pileUp(matchId, prefix);
    return flushUntil(allFlushed(CLOSE_BACKLOG));
  }

  const before = await rateRun(beforeMatch!, "rate-before");
  await pileUp(closedMatch!, "close");
  const markers = new Map<number, string>(); // partition -> its marker's stream id, once the close returned
  const through = new Map<number, string>(); // partition -> last committed stream id
  const markerCommitted = new Map<number, number>();
  const betsFlushed = allFlushed(CLOSE_BACKLOG);
  let lastBetAt = 0;
  let closeMs = 0;
  const closeFlush = await flushUntil(
    (batch) => {
      if (batch) through.set(batch.partition, batch.last);
      if (batch && !lastBetAt && betsFlushed(batch)) lastBetAt = batch.committedAt;
      if (markers.size < partitions.length) return false;
      for (const p of partitions) {
        if (!markerCommitted.has(p) && through.has(p) && compareStreamIds(through.get(p)!, markers.get(p)!) >= 0)
          markerCommitted.set(p, batch?.committedAt ?? Date.now());
      }
      return markerCommitted.size === partitions.length;
    },
    async () => {
      const t0 = performance.now();
      await closeMatch({ db, redis, partitions: partitions.length }, { actor: null, matchId: closedMatch! });
      closeMs = performance.now() - t0;
      // The marker is each stream's last entry: every bet of the backlog is before it.
      const found = new Map<number, string>();
      for (const p of partitions) {
        const [last] = (await redis.xrevrange(logKeys.stream(p), "+", "-", "COUNT", 1)) as [string, string[]][];
        if (!last || last[1][1] !== "marker" || !last[1].includes(closedMatch!))
          throw new Error(`partition ${p}: the last entry is not the close's marker: ${JSON.stringify(last)}`);
        found.set(p, last[0]);
      }
      for (const [p, id] of found) markers.set(p, id);
    },
    Math.max(120_000, 20 * before.seconds * 1000),
  );
  const after = await rateRun(afterMatch!, "rate-after");
  const [closed] = await sql<{ settlement_state: string; bets: number; db_seconds: number }[]>`
    select m.settlement_state, (select count(*)::int from bets b where b.match_id = m.id and b.idempotency_key like 'close-%') as bets,
      extract(epoch from m.completed_at - m.closed_at)::float8 as db_seconds
    from matches m where m.id = ${closedMatch!}`;
  if (closed?.settlement_state !== "COMPLETE" || closed.bets !== CLOSE_BACKLOG)
    throw new Error(`closed match after its markers: ${JSON.stringify(closed)}`);
  const oneMatchRate = (2 * CLOSE_BACKLOG) / (before.seconds + after.seconds);
  const completeSeconds = closeFlush.seconds;
  const predictedSeconds = CLOSE_BACKLOG / oneMatchRate;
  // measured / predicted: 1 means completion waited for nothing but the bets logged before the markers, at the rate
  // those bets flush anyway: the markers, the match-row lock that queues the last ones and the close itself cost
  // nothing measurable. Above 1 is what they do cost, or a flush slower than in the rate runs; "COMPLETE +x s after
  // the last bet" separates the two (the markers' own cost), and the rate runs' spread shows the noise. Printed,
  // never checked.
  const completeRatio = completeSeconds / predictedSeconds;
  const betsSeconds = sinceStart(closeFlush, lastBetAt);
  return {
    closedMatch: closedMatch!,
    before,
    after,
    closeFlush,
    closeMs,
    oneMatchRate,
    completeSeconds,
    predictedSeconds,
    completeRatio,
    betsSeconds,
    dbSeconds: closed.db_seconds,
  };
}

/**
 * Another transaction wanting the match row during the payout, as a result correction would: a FOR NO KEY UPDATE
 * every PROBE_EVERY_MS, each timed from its BEGIN to its COMMIT. The longest is how long the payout held the row
 * (within the probes' spacing), seen from outside.
 */
const PROBE_EVERY_MS = 10;
function probeMatchRow(databaseUrl: string, matchId: string) {
  const probe = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  let isProbing = true;
  let longestMs = 0;
  let probes = 0;
  const probing = (async () => {
    while (isProbing) {
      const started = performance.now();
      await probe.begin(async (tx) => {
        await tx`set local synchronous_commit = off`; // its commits must not compete with the payout's fsyncs
        await tx`select 1 from matches where id = ${matchId} for no key update`;
      });
      longestMs = Math.max(longestMs, performance.now() - started);
      probes++;
      await sleep(PROBE_EVERY_MS);
    }
  })();
  return async () => {
    isProbing = false;
    await probing;
    await probe.end({ timeout: 5 });
    return { longestMs, probes };
  };
}

// 6. The payout of the closed match: settle_match on its CLOSE_BACKLOG bets (in chunks, each its own transaction),
// with a probe timing how long the match row is held, then the outbox relay crediting the winners' Redis wallets (a
// credit per STAKE_RETURN and WINNINGS entry). Rows written before are marked published (the seed's deposits are in
// the wallets already), so the relay's time is the payout's alone.
async function measurePayout({ services, config, partitions, db, sql, redis, bettors, quiet }: Bench, matchId: string) {
  console.log("Payout...");
  const [winner] = await sql<{ id: string }[]>`
    select s.id from selections s join markets k on k.id = s.market_id where k.match_id = ${matchId} order by s.position limit 1`;
  await sql`update matches set result_selection_id = ${winner!.id} where id = ${matchId}`;
  await sql`update outbox set published_at = now() where published_at is null`;
  // The acceptance runs' 4-leg accumulators have legs on this match too: the payout decides those legs.
  const [{ accumulatorLegs }] = (await sql`
    select count(*)::int as "accumulatorLegs" from bet_legs l join bets b on b.id = l.bet_id
    where l.match_id = ${matchId} and b.type = 'ACCUMULATOR'`) as unknown as [{ accumulatorLegs: number }];
  const stopProbing = probeMatchRow(services.databaseUrl, matchId);
  const settleStart = performance.now();
  const payout = await settleMatch({ db }, { matchId, actorUserId: null });
  const settleSeconds = (performance.now() - settleStart) / 1000;
  const matchRow = await stopProbing();
  const [chunks] = (await sql`
    select count(*)::int as count, max(bets_settled)::int as size,
      (extract(epoch from max(finished_at - started_at)) * 1000)::float8 as "longestMs"
    from settlement_chunks where match_id = ${matchId}`) as unknown as [{ count: number; size: number; longestMs: number }];
  const [{ credits }] =
    (await sql`select count(*)::int as credits from outbox where published_at is null and topic = 'wallet.credit'`) as unknown as [
      { credits: number },
    ];
  const relayRedis = createRedis(services.redisUrl);
  const relay = createOutboxRelay({ db, redis: relayRedis, partitions: partitions.length, config }, quiet);
  const creditStart = performance.now();
  await relay.start();
  await waitFor(
    "the payout's credits in Redis",
    async () => (await sql`select 1 from outbox where published_at is null limit 1`).length === 0,
    600_000,
  );
  const creditSeconds = (performance.now() - creditStart) / 1000;
  await relay.stop();
  relayRedis.disconnect();
  // Baseline: the same kind of credit applied one at a time, as the relay did before it grouped them (a sample).
  const sample = Math.min(credits, 5_000);
  const oneByOneStart = performance.now();
  for (let i = 0; i < sample; i++)
    await creditRedisWallet(
      { redis, partitions: partitions.length },
      { userId: bettors[i % bettors.length]!.id, amount: 1, entry: `BENCH:${i}` },
    );
  const oneByOneRate = sample / ((performance.now() - oneByOneStart) / 1000);
  return {
    betsSettled: payout.betsSettled,
    won: payout.won,
    accumulatorLegs,
    settleSeconds,
    chunks,
    matchRow,
    credits,
    creditSeconds,
    oneByOneRate,
    sample,
  };
}

type Figures = {
  acceptance: Awaited<ReturnType<typeof measureAcceptance>>;
  capRefusals: Awaited<ReturnType<typeof measureCapRefusals>>;
  topologies: Awaited<ReturnType<typeof measureTopologies>>;
  http: Awaited<ReturnType<typeof measureHttp>>;
  flush: Awaited<ReturnType<typeof measureFlush>>;
  close: Awaited<ReturnType<typeof measureCloseToComplete>>;
  payout: Awaited<ReturnType<typeof measurePayout>>;
};

function printTable({ partitions, bettors, config }: Bench, { acceptance, capRefusals, topologies, http, flush, close, payout }: Figures) {
  const { accept, bare, bareDurable, writeThrough, writeThroughFair, acca, noRisk } = acceptance;
  const { noReplica, grouped, ungrouped, cluster } = topologies;
  const met = (ok: boolean) => (ok ? "met" : "MISSED");
  const x = (a: number, b: number) => `${(a / b).toFixed(1)}x`;
  const share = (a: number, b: number) => `${((a / b) * 100).toFixed(0)}%`;
  // CPU of the i-th sampled process (web, Redis primary, replica) per request, in microseconds; requests per its CPU second.
  const cpuPer = (r: Run, i: number) => ((r.cpu[i]! / r.done) * 1e6).toFixed(0);
  const perCpu = (r: Run, i: number) => r.done / r.cpu[i]!;
  const perBet = (n: number, bets: number) => `${(n / bets).toFixed(4)} (${n} in ${bets} bets)`;
  const rows: string[][] = [
    ["measure", "value", "latency", "vs baseline", "target"],
    [
      "accept, placeBet (no HTTP)",
      `${rate(accept).toFixed(0)} bets/s`,
      latency(accept),
      `${x(rate(accept), rate(writeThroughFair))} fair write-through`,
      `>= 10x: ${met(rate(accept) >= 10 * rate(writeThroughFair))}`,
    ],
    [
      "",
      "",
      "",
      `${share(rate(accept), rate(bareDurable))} of bare Lua, both WAIT 1`,
      `>= 70%: ${met(rate(accept) >= 0.7 * rate(bareDurable))}`,
    ],
    [
      "  baseline: fair write-through (bet row + own debit)",
      `${rate(writeThroughFair).toFixed(0)} bets/s`,
      latency(writeThroughFair),
      "",
      "",
    ],
    [
      "  baseline: write-through through the ledger",
      `${rate(writeThrough).toFixed(0)} bets/s`,
      latency(writeThrough),
      `${x(rate(accept), rate(writeThrough))}; its STAKES row serialises`,
      "",
    ],
    [
      "  4-leg accumulators, placeBet",
      `${rate(acca).toFixed(0)} bets/s`,
      latency(acca),
      `${share(rate(acca), rate(accept))} of singles`,
      "",
    ],
    [
      "  baseline: placeBet without liability counting and cap",
      `${rate(noRisk).toFixed(0)} bets/s`,
      latency(noRisk),
      `accept = ${share(rate(accept), rate(noRisk))} of it`,
      "",
    ],
    ...(
      [
        ["uniformFixed", "all partitions' bettors, weights left even"],
        ["uniformRebalanced", "all partitions' bettors, rebalanced"],
        ["skewedFixed", "2 partitions' bettors, weights left even"],
        ["skewedRebalanced", "2 partitions' bettors, rebalanced"],
      ] as const
    ).map(([kind, label]) => {
      const { refused, needless, unusedShare } = capRefusals[kind];
      return [
        `cap ${CAP / 100}, ${CAP_BETS} bets: ${label}`,
        `${refused} refused`,
        "",
        `${needless} with room elsewhere, ${share(unusedShare, 1)} of the cap unused then`,
        "",
      ];
    }),
    [
      "  baseline: bare Lua, HINCRBY + XADD, WAIT 1 + group commit",
      `${rate(bareDurable).toFixed(0)} bets/s`,
      latency(bareDurable),
      `the second disk: ${share(rate(bareDurable), rate(bare))} of one disk`,
      "",
    ],
    ["  baseline: bare Lua, one disk (no WAIT)", `${rate(bare).toFixed(0)} bets/s`, latency(bare), "", ""],
    [
      "accept, WAIT 1 + group commit, primary + replica",
      `${rate(grouped).toFixed(0)} bets/s`,
      latency(grouped),
      `${share(rate(grouped), rate(noReplica))} of no replica`,
      "",
    ],
    [
      "  WAIT 1, no group commit ([script, WAIT] per bet)",
      `${rate(ungrouped).toFixed(0)} bets/s`,
      latency(ungrouped),
      `${share(rate(ungrouped), rate(noReplica))} of no replica; group commit ${x(rate(grouped), rate(ungrouped))}`,
      "",
    ],
    ["  baseline: no replica (lone primary, WAIT 0)", `${rate(noReplica).toFixed(0)} bets/s`, latency(noReplica), "", ""],
    [
      "accept, Cluster, 3 primaries + 3 replicas, WAIT 1",
      `${rate(cluster).toFixed(0)} bets/s`,
      latency(cluster),
      `${x(rate(cluster), rate(grouped))} one primary + replica`,
      "",
    ],
    [
      `flush, ${partitions.length} PartitionFlushers`,
      `${flush.rate.toFixed(0)} bets/s`,
      `${flush.backlog} bets, ${flush.drain.batches.length} batches of up to ${config.FLUSH_BATCH_SIZE}, ${meanBatchMs(flush.drain).toFixed(0)} ms each`,
      `${share(flush.rate, flush.copyRate)} of raw COPY`,
      `>= 50%: ${met(flush.rate >= 0.5 * flush.copyRate)}`,
    ],
    [`  baseline: raw COPY, ${partitions.length} streams`, `${flush.copyRate.toFixed(0)} bets/s`, "", "", ""],
    [
      `flush, one match, ${CLOSE_BACKLOG} bets`,
      `${close.oneMatchRate.toFixed(0)} bets/s`,
      `before the close ${s2(close.before.seconds)}, after it ${s2(close.after.seconds)}; ${meanBatchMs(close.before).toFixed(0)}/${meanBatchMs(close.after).toFixed(0)} ms per batch`,
      "the close's prediction",
      "",
    ],
    [
      "close -> COMPLETE, same backlog, one match",
      s2(close.completeSeconds),
      `bets in at ${s2(close.betsSeconds)}, COMPLETE +${s2(close.completeSeconds - close.betsSeconds)}; ${meanBatchMs(close.closeFlush).toFixed(0)} ms per batch; closeMatch ${close.closeMs.toFixed(0)} ms`,
      `${close.completeRatio.toFixed(2)}x predicted ${s2(close.predictedSeconds)}`,
      "~1x (printed only)",
    ],
    [
      `payout, settle_match, one match`,
      `${(payout.betsSettled / payout.settleSeconds).toFixed(0)} bets/s`,
      `${payout.betsSettled} bets (${payout.won} won; ${payout.accumulatorLegs} accumulator legs decided) in ${s2(payout.settleSeconds)}, ` +
        `${payout.chunks.count} chunks of up to ${payout.chunks.size} bets, the longest ${payout.chunks.longestMs.toFixed(0)} ms`,
      "",
      `goal >= 20,000 bets/s: ${met(payout.betsSettled / payout.settleSeconds >= 20_000)}`,
    ],
    [
      "  the match row, held at most",
      `${payout.matchRow.longestMs.toFixed(0)} ms`,
      `longest FOR NO KEY UPDATE of another transaction, one every ${PROBE_EVERY_MS} ms (${payout.matchRow.probes} probes)`,
      "",
      `a few seconds: ${met(payout.matchRow.longestMs <= 3_000)}`,
    ],
    [
      "  its credits, outbox relay -> Redis",
      `${(payout.credits / payout.creditSeconds).toFixed(0)} credits/s`,
      `${payout.credits} credits in ${s2(payout.creditSeconds)}`,
      `${x(payout.credits / payout.creditSeconds, payout.oneByOneRate)} one at a time`,
      "",
    ],
    ["  baseline: one credit at a time", `${payout.oneByOneRate.toFixed(0)} credits/s`, `${payout.sample} credits`, "", ""],
    [
      "POST /api/bets (HTTP)",
      `${rate(http.bets).toFixed(0)} req/s`,
      latency(http.bets),
      `${share(rate(http.bets), rate(http.noop))} of no-op`,
      `>= 80%: ${met(rate(http.bets) >= 0.8 * rate(http.noop))}`,
    ],
    ["  baseline: POST /api/health/live (no-op)", `${rate(http.noop).toFixed(0)} req/s`, latency(http.noop), "", ""],
    [
      "  per web process: requests per CPU second",
      `${perCpu(http.bets, 0).toFixed(0)} bets, ${perCpu(http.noop, 0).toFixed(0)} no-ops`,
      `web ${cpuPer(http.bets, 0)}/${cpuPer(http.noop, 0)} us, Redis ${cpuPer(http.bets, 1)} + replica ${cpuPer(http.bets, 2)} us per bet`,
      `${share(perCpu(http.bets, 0), perCpu(http.noop, 0))} of no-op`,
      `>= 80%: ${met(perCpu(http.bets, 0) >= 0.8 * perCpu(http.noop, 0))}`,
    ],
    [
      "PG transactions per accepted bet, service",
      perBet(acceptance.transactions, acceptance.counted.done),
      "",
      "",
      `0: ${met(acceptance.transactions === 0)}`,
    ],
    ["PG transactions per accepted bet, HTTP", perBet(http.transactions, http.bets.done), "", "", `0: ${met(http.transactions === 0)}`],
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  console.log(
    `\nBet placement benchmark (${new Date().toISOString()}; ${IN_FLIGHT} in flight, ${bettors.length} bettors, ${HTTP_BETTORS} over HTTP, ` +
      `${ROUNDS} rounds of ${SLICE} s slices per comparison; Redis appendfsync always, PostgreSQL synchronous_commit on)\n`,
  );
  for (const row of rows) console.log("  " + row.map((cell, c) => cell.padEnd(widths[c]!)).join("  |  "));
  console.log(
    "\n  limits here (2 cores): no replica: the primary's AOF fsync once per event-loop round, and the one Node process driving every caller; " +
      "WAIT 1 + group commit: the replica's fsync per round on top, every partition's bets waiting meanwhile going as one group " +
      "(a WAIT blocks its connection until the replica answers); without group commit: the same, one bet per turn; Cluster: a " +
      "group per partition, spread over three primaries' connections, but six redis-servers and the Node process share the 2 cores",
  );
  console.log(
    `  close -> COMPLETE: predicted = ${CLOSE_BACKLOG} bets / ${close.oneMatchRate.toFixed(0)} bets/s; partitions drained ${drainSpread(close.before, partitions)} (before), ` +
      `${drainSpread(close.after, partitions)} (after), markers committed ${drainSpread(close.closeFlush, partitions)} after the close; completed_at - closed_at ${s2(close.dbSeconds)} ` +
      `(both are their transactions' start)`,
  );
  console.log();
}

async function main() {
  const bench = await setUp();
  const acceptance = await measureAcceptance(bench);
  const capRefusals = await measureCapRefusals(bench);
  const topologies = await measureTopologies(bench);
  const http = await measureHttp(bench);
  const flushing = flushMachinery(bench);
  const flush = await measureFlush(bench, flushing.flushUntil);
  const close = await measureCloseToComplete(bench, flushing.flushUntil);
  await flushing.end();
  const payout = await measurePayout(bench, close.closedMatch);
  printTable(bench, { acceptance, capRefusals, topologies, http, flush, close, payout });
  await bench.close();
  process.exit(0);
}

main().catch(async (error: unknown) => {
  console.error(error);
  await restoreSettings().catch(() => {});
  await Promise.all(processes.map((p) => p.stop(1_000)));
  await stopServices();
  process.exit(1);
});
