// npm run bench:soak: a bookmaker's Saturday, held for SOAK_MINUTES. Load bettors bet over HTTP at a steady share of
// the capacity measured first (an open-loop arrival rate), while a staff client edits prices, opens new matches and
// closes, results and settles old ones. Every SOAK_REPORT_SECONDS one row: bets, refusals, latency, the write-behind
// queue and its lag, PostgreSQL's and Redis's memory, the processes' memory and the wallets' drift. Flat lines mean
// it holds; nothing is asserted.
import http from "node:http";
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { z } from "zod";
import { streamIdTime } from "@/server/betting/write-behind-log";
import { syncLiveState } from "@/server/catalog/live-state";
import type { MatchDto } from "@/server/catalog/match-root";
import { getConfig } from "@/server/config";
import { createDatabase } from "@/server/platform/db";
import { allPartitions } from "@/server/platform/partitions";
import { connectRedis, type RedisClient } from "@/server/platform/redis";
import { logKeys } from "@/server/platform/redis-keys";
import { demoPassword, demoStaff, demoStartingBalance } from "@/server/seed/demo-fixtures";
import { seedDemo } from "@/server/seed/seed-demo";
import { lastWalletDrift } from "@/server/wallet/reconcile-wallets";
import { rebuildWallets } from "@/server/wallet/rebuild-wallets";
import { ApiClient } from "@/test/support/api-client";
import { dataDir, profiles, testPortOffset } from "./lib/local-services";
import { buildIfNeeded, provideServices, startWeb, startWorker, supervise, waitForHealthy, type ManagedProcess } from "./lib/stack";

const knobs = z
  .object({
    SOAK_MINUTES: z.coerce.number().positive().default(10),
    SOAK_FRACTION: z.coerce.number().positive().max(2).default(0.5),
    SOAK_REPORT_SECONDS: z.coerce.number().positive().default(30),
    SOAK_BETTORS: z.coerce.number().int().min(1).max(9999).default(1000),
    SOAK_CAPACITY_SECONDS: z.coerce.number().positive().default(10),
    SOAK_EDIT_SECONDS: z.coerce.number().positive().default(3),
    SOAK_MATCH_SECONDS: z.coerce.number().positive().default(60),
  })
  .parse(process.env);

const PORT = 3450 + testPortOffset;
const BASE = `http://127.0.0.1:${PORT}`;
const CAPACITY_IN_FLIGHT = 64;
// An open-loop generator never waits for replies; past this many unanswered requests an arrival is counted as shed
// instead of sent, so an overloaded stack shows up as shed load rather than an ever-growing client queue.
const MAX_IN_FLIGHT = 256;
// 0.10 a bet: the seeded 1000.00 of a load bettor lasts 10,000 bets, 10M bets for 1000 bettors, which is 30 minutes
// at 5,500 bets/s, beyond what the 2 cores here accept. BET_MIN_STAKE is lowered to it for this stack.
const STAKE = 10;
const BUDGET_MINUTES = 30;
const runId = randomUUID().slice(0, 8);

const processes: ManagedProcess[] = [];
const restarts = { web: 0, worker: 0 };
let stopServices = async () => {};
let isInterrupted = false;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- HTTP bets -------------------------------------------------------------------------------------------------

const agent = new http.Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });

type Reply = { status: number; code: string };

function postOnce(path: string, body: string, cookie: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      BASE + path,
      { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), cookie } },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status === 201) {
          res.resume();
          res.on("end", () => resolve({ status, code: "" }));
          return;
        }
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (text += d));
        res.on("end", () => {
          let code = `HTTP_${status}`;
          try {
            code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? code;
          } catch {
            // not JSON: keep the status
          }
          resolve({ status, code });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

// A kept-alive socket can be closed by the server just as it is reused: the bet is sent again under the same
// idempotency key, so it is never placed twice (a 200 is the first one's answer).
async function post(path: string, body: string, cookie: string): Promise<Reply> {
  try {
    return await postOnce(path, body, cookie);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ECONNRESET") throw error;
    return postOnce(path, body, cookie);
  }
}

type Selection = { id: string; odds: string; matchId: string };

/** What happened in one report interval. Latencies are of the replies that arrived in it. */
type Interval = {
  startedAt: number;
  accepted: number;
  refused: number;
  errors: number;
  shed: number;
  latencies: number[];
  edits: number;
  created: number;
  closed: number;
  settled: number;
  staffFailures: number;
};
const newInterval = (): Interval => ({
  startedAt: performance.now(),
  accepted: 0,
  refused: 0,
  errors: 0,
  shed: 0,
  latencies: [],
  edits: 0,
  created: 0,
  closed: 0,
  settled: 0,
  staffFailures: 0,
});
let current = newInterval();
const refusalsByCode = new Map<string, number>();
const errorsByKind = new Map<string, number>();
const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

/** Bettors' cookies and the open selections (refreshed from GET /api/catalog): what the next bet is made of. */
class Bettors {
  selections: Selection[] = [];
  private sent = 0;
  constructor(private readonly cookies: string[]) {}

  async refresh(): Promise<MatchDto[]> {
    const res = await fetch(`${BASE}/api/catalog`);
    if (res.status !== 200) throw new Error(`GET /api/catalog answered ${res.status}`);
    const { matches } = (await res.json()) as { matches: MatchDto[] };
    const open = matches.filter((m) => m.status === "OPEN");
    const selections = open.flatMap((m) =>
      m.markets.filter((k) => k.status === "OPEN").flatMap((k) => k.selections.map((s) => ({ id: s.id, odds: s.odds, matchId: m.id }))),
    );
    if (selections.length > 0) this.selections = selections;
    return open;
  }

  /** One bet, spread round-robin over the bettors and at random over the open selections. */
  place(): Promise<Reply> {
    const i = this.sent++;
    const selection = this.selections[Math.floor(Math.random() * this.selections.length)]!;
    const body = JSON.stringify({
      selectionId: selection.id,
      stake: STAKE,
      odds: selection.odds,
      idempotencyKey: `soak-${runId}-${i}`,
      acceptOddsChanges: "any",
    });
    return post("/api/bets", body, this.cookies[i % this.cookies.length]!);
  }
}

/** Counts a reply in the interval it arrived in; `startedAt` is when the bet was due (open loop) or sent. */
function record(reply: Reply | Error, startedAt: number) {
  if (reply instanceof Error) {
    current.errors++;
    bump(errorsByKind, (reply as NodeJS.ErrnoException).code ?? reply.message.slice(0, 40));
    return;
  }
  if (reply.status === 201 || reply.status === 200) {
    current.accepted++;
    current.latencies.push(performance.now() - startedAt);
  } else if (reply.status === 409 || reply.status === 422 || reply.status === 429) {
    current.refused++;
    bump(refusalsByCode, reply.code);
  } else {
    current.errors++;
    bump(errorsByKind, reply.code);
  }
}

/** Closed loop, CAPACITY_IN_FLIGHT callers for `seconds`: accepted bets per second. */
async function measureCapacity(bettors: Bettors, seconds: number): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  const start = performance.now();
  let accepted = 0;
  await Promise.all(
    Array.from({ length: CAPACITY_IN_FLIGHT }, async () => {
      while (performance.now() < deadline) {
        const reply = await bettors.place().catch((e: Error) => e);
        if (!(reply instanceof Error) && reply.status === 201) accepted++;
      }
    }),
  );
  return accepted / ((performance.now() - start) / 1000);
}

/**
 * Open loop: arrivals at `rate` per second, due at fixed times whatever the replies do; latency counts from when a bet
 * was due, so a stalled server shows in it rather than in a slower arrival rate (no coordinated omission).
 */
function driveOpenLoop(bettors: Bettors, rate: number): { stop(): Promise<void> } {
  const start = performance.now();
  let due = 0;
  let inFlight = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    while (due < ((now - start) / 1000) * rate) {
      const dueAt = start + (due * 1000) / rate;
      due++;
      if (inFlight >= MAX_IN_FLIGHT) {
        current.shed++;
        continue;
      }
      inFlight++;
      void bettors
        .place()
        .catch((e: Error) => e)
        .then((reply) => {
          inFlight--;
          record(reply, dueAt);
        });
    }
  }, 5);
  return {
    async stop() {
      clearInterval(tick);
      const deadline = Date.now() + 15_000;
      while (inFlight > 0 && Date.now() < deadline) await sleep(50);
    },
  };
}

// ---- The staff member's Saturday ---------------------------------------------------------------------------------

const randomInt = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));
const odds = (hundredths: number) => (Math.max(101, hundredths) / 100).toFixed(2);

/**
 * Every SOAK_EDIT_SECONDS a price edit; every SOAK_MATCH_SECONDS a new match, and the oldest open match closed; each
 * closed match gets its score once COMPLETE and is settled. Failures are counted and printed, never fatal.
 */
function runStaff(staff: ApiClient, bettors: Bettors, openMatches: MatchDto[]): { stop(): void } {
  let isRunning = true;
  // Oldest first: the seeded matches by kick-off, then those created here, in order.
  const queue = openMatches.sort((a, b) => a.startsAt.localeCompare(b.startsAt)).map((m) => m.id);
  const closing = new Map<string, "closed" | "settling">();
  let created = 0;
  const fail = (what: string, detail: unknown) => {
    current.staffFailures++;
    console.log(`[staff] ${what}: ${typeof detail === "string" ? detail : JSON.stringify(detail)}`);
  };

  async function editPrice() {
    const pick = bettors.selections[Math.floor(Math.random() * bettors.selections.length)];
    if (!pick) return;
    const match = await staff.get<MatchDto>(`/api/matches/${pick.matchId}`);
    const selection = match.body?.markets?.flatMap((k) => k.selections).find((s) => s.id === pick.id);
    if (match.status !== 200 || !selection) return; // closed since the catalog was read
    const patch = (version: number, from: string) =>
      staff.patch(`/api/admin/selections/${pick.id}`, {
        odds: odds(Math.round(Number(from) * 100) + randomInt(-5, 5)),
        expectedVersion: version,
      });
    let res = await patch(selection.version, selection.odds);
    // Another instance's cache may be a version behind: the conflict carries the current price.
    if (res.status === 409 && res.body?.error?.code === "VERSION_CONFLICT")
      res = await patch(res.body.error.current.version, res.body.error.current.odds);
    if (res.status === 200 || res.status === 202) current.edits++;
    else if (!(res.status === 409 && res.body?.error?.code === "INVALID_STATE")) fail(`PATCH selection ${res.status}`, res.body);
  }

  async function createAndClose() {
    created++;
    const home = randomInt(150, 400);
    const away = randomInt(150, 400);
    const res = await staff.post<MatchDto>("/api/admin/matches", {
      sport: "Football",
      competition: "Soak League",
      home: `Soak ${runId} Home ${created}`,
      away: `Soak ${runId} Away ${created}`,
      startsAt: new Date(Date.now() + 6 * 3600_000).toISOString(),
      odds: { home: odds(home), draw: odds(360), away: odds(away) },
      markets: [
        { type: "TOTAL_GOALS", line: "2.5", odds: { over: "1.90", under: "1.90" } },
        { type: "BOTH_TEAMS_TO_SCORE", odds: { yes: "1.80", no: "1.95" } },
      ],
    });
    if (res.status === 201) {
      current.created++;
      queue.push(res.body.id);
    } else fail(`POST /api/admin/matches ${res.status}`, res.body);
    const oldest = queue.shift();
    if (!oldest) return;
    const closed = await staff.post(`/api/admin/matches/${oldest}/close`);
    if (closed.status === 200 || closed.status === 202) {
      current.closed++;
      closing.set(oldest, "closed");
    } else fail(`close ${closed.status}`, closed.body);
  }

  async function followSettlement() {
    for (const [id, state] of closing) {
      const status = await staff.get<{ settlementState: string }>(`/api/admin/matches/${id}/settlement`);
      if (status.status !== 200) {
        fail(`GET settlement ${status.status}`, status.body);
        continue;
      }
      if (status.body.settlementState === "SETTLED") {
        current.settled++;
        closing.delete(id);
      } else if (status.body.settlementState === "COMPLETE" && state === "closed") {
        const result = await staff.post(`/api/admin/matches/${id}/result`, { score: { home: randomInt(0, 4), away: randomInt(0, 4) } });
        if (result.status !== 200) {
          fail(`result ${result.status}`, result.body);
          continue;
        }
        const settle = await staff.post(`/api/admin/matches/${id}/settle`);
        if (settle.status === 202) closing.set(id, "settling");
        else fail(`settle ${settle.status}`, settle.body);
      }
    }
  }

  const every = (seconds: number, work: () => Promise<void>) =>
    void (async () => {
      while (isRunning) {
        await sleep(seconds * 1000);
        if (!isRunning) return;
        await work().catch((error: unknown) => fail("request failed", String(error)));
      }
    })();
  every(knobs.SOAK_EDIT_SECONDS, editPrice);
  every(knobs.SOAK_MATCH_SECONDS, createAndClose);
  every(2, followSettlement);
  every(2, async () => {
    await bettors.refresh();
  });
  return { stop: () => void (isRunning = false) };
}

// ---- Gauges ------------------------------------------------------------------------------------------------------

/** Proportional set size of a process and its descendants, MB: shared pages (PostgreSQL's shared buffers) once. */
function treePssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) {
    const out = spawnSync("pgrep", ["-P", String(pids[i])], { encoding: "utf8" }).stdout ?? "";
    pids.push(...out.split("\n").filter(Boolean).map(Number));
  }
  let kb = 0;
  for (const p of pids) {
    try {
      const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${p}/smaps_rollup`, "utf8"));
      kb += Number(match?.[1] ?? 0);
    } catch {
      // exited in between
    }
  }
  return kb / 1024;
}

/** The private PostgreSQL's postmaster (first line of postmaster.pid); none when DATABASE_URL names another server. */
function postmasterPid(): number | undefined {
  const file = join(dataDir(profiles.soak), "postgres", "postmaster.pid");
  if (process.env.DATABASE_URL || !existsSync(file)) return undefined;
  return Number(readFileSync(file, "utf8").split("\n")[0]);
}

type Gauges = {
  queue: number;
  lagSeconds: number;
  pgDbMb: number;
  pgMemMb: number | null;
  redisMb: number;
  webMb: number | null;
  workerMb: number | null;
  drift: string;
};

async function readGauges(
  redis: RedisClient,
  sql: ReturnType<typeof createDatabase>["client"],
  partitions: number[],
  web: ManagedProcess,
  worker: ManagedProcess,
): Promise<Gauges> {
  const now = Date.now();
  const streams = await Promise.all(
    partitions.map(async (p) => {
      const [length, oldest] = await Promise.all([redis.xlen(logKeys.stream(p)), redis.xrange(logKeys.stream(p), "-", "+", "COUNT", 1)]);
      const oldestId = oldest[0]?.[0];
      return { length, ageMs: oldestId ? Math.max(0, now - streamIdTime(oldestId).getTime()) : 0 };
    }),
  );
  const [{ size }] = (await sql`select pg_database_size(current_database())::float8 as size`) as unknown as [{ size: number }];
  const usedMemory = /^used_memory:(\d+)/m.exec(await redis.info("memory"))?.[1];
  const drift = await lastWalletDrift({ redis });
  return {
    queue: streams.reduce((sum, s) => sum + s.length, 0),
    lagSeconds: Math.max(...streams.map((s) => s.ageMs)) / 1000,
    pgDbMb: size / 2 ** 20,
    pgMemMb: treePssMb(postmasterPid()),
    redisMb: Number(usedMemory ?? 0) / 2 ** 20,
    webMb: treePssMb(web.child.pid),
    workerMb: treePssMb(worker.child.pid),
    drift: drift ? `${drift.users}/${drift.totalAbs}` : "none yet",
  };
}

// ---- The table ---------------------------------------------------------------------------------------------------

const columns = [
  ["elapsed", 8],
  ["accepted", 9],
  ["bets/s", 7],
  ["refused", 8],
  ["errors", 7],
  ["shed", 6],
  ["p50 ms", 7],
  ["p99 ms", 7],
  ["queue", 7],
  ["lag s", 6],
  ["PG db MB", 9],
  ["PG mem MB", 10],
  ["Redis MB", 9],
  ["web MB", 7],
  ["worker MB", 10],
  ["drift", 9],
  ["staff e/n/c/s", 14],
] as const;

type Row = { elapsedSeconds: number; interval: Interval; seconds: number; gauges: Gauges };

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const mb = (value: number | null) => (value === null ? "n/a" : value.toFixed(0));
const clock = (s: number) => `${Math.floor(Math.round(s) / 60)}:${String(Math.round(s) % 60).padStart(2, "0")}`;

function cells({ elapsedSeconds, interval, seconds, gauges }: Row): string[] {
  const sorted = [...interval.latencies].sort((a, b) => a - b);
  const { edits, created, closed, settled, staffFailures } = interval;
  return [
    clock(elapsedSeconds),
    String(interval.accepted),
    (interval.accepted / seconds).toFixed(0),
    String(interval.refused),
    String(interval.errors),
    String(interval.shed),
    percentile(sorted, 50).toFixed(1),
    percentile(sorted, 99).toFixed(1),
    String(gauges.queue),
    gauges.lagSeconds.toFixed(1),
    gauges.pgDbMb.toFixed(0),
    mb(gauges.pgMemMb),
    gauges.redisMb.toFixed(1),
    mb(gauges.webMb),
    mb(gauges.workerMb),
    gauges.drift,
    `${edits}/${created}/${closed}/${settled}${staffFailures ? ` !${staffFailures}` : ""}`,
  ];
}

const line = (values: readonly string[]) => "| " + values.map((v, c) => v.padStart(columns[c]![1])).join(" | ") + " |";
const header = () => [line(columns.map(([name]) => name)), "|" + columns.map(([, w]) => "-".repeat(w + 1) + ":").join("|") + "|"];

// ---- The run -----------------------------------------------------------------------------------------------------

async function signIn(email: string): Promise<string> {
  const res = await fetch(`${BASE}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: demoPassword }),
  });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("bm_session="));
  if (res.status !== 200 || !cookie) throw new Error(`login of ${email} failed: ${res.status}`);
  return cookie.split(";")[0]!;
}

async function main() {
  const services = await provideServices(profiles.soak, { name: "bookmaker_soak", fresh: true });
  stopServices = services.stop;
  const config = getConfig({ ...process.env, ...services.env });
  const partitions = allPartitions(config.WRITE_BEHIND_PARTITIONS);
  const { db, client: sql } = createDatabase(services.databaseUrl, { max: 2 });
  const redis = connectRedis(config);
  console.log(`Seeding ${knobs.SOAK_BETTORS} load bettors...`);
  await seedDemo({ db }, { bettors: knobs.SOAK_BETTORS });
  // Before the worker starts: the seed's deposits straight into the wallets and its matches into the live state.
  await rebuildWallets({ db, redis, partitions: partitions.length });
  await syncLiveState({ db, redis, partitions: partitions.length });
  // Everything the seed put in the outbox is in Redis now: published, or the worker's first reconciliation would
  // count every deposit as not yet applied and report each wallet 1000.00 over.
  await sql`update outbox set published_at = now() where published_at is null`;
  await buildIfNeeded();

  const env = { ...services.env, LOG_LEVEL: "warn", BET_MIN_STAKE: String(STAKE), LOGIN_MAX_ATTEMPTS_PER_IP: "100000000" };
  const worker = supervise("worker", () => (restarts.worker++, startWorker(env)));
  const web = supervise(`web:${PORT}`, () => (restarts.web++, startWeb(PORT, env)));
  processes.push(worker, web);
  await waitForHealthy(BASE);

  console.log(`Signing in ${knobs.SOAK_BETTORS} bettors and the staff member...`);
  const emails = Array.from({ length: knobs.SOAK_BETTORS }, (_, i) => `bettor-${String(i + 1).padStart(4, "0")}@example.com`);
  const cookies: string[] = [];
  for (let i = 0; i < emails.length; i += 8) cookies.push(...(await Promise.all(emails.slice(i, i + 8).map(signIn))));
  for (const cookie of cookies) {
    const me = await fetch(`${BASE}/api/auth/me`, { headers: { cookie } }); // each session into the cache
    if (me.status !== 200) throw new Error(`GET /api/auth/me answered ${me.status}`);
  }
  const staff = new ApiClient(BASE);
  const login = await staff.post("/api/auth/login", { email: demoStaff[0], password: demoPassword });
  if (login.status !== 200) throw new Error(`staff login failed: ${login.status} ${JSON.stringify(login.body)}`);
  const bettors = new Bettors(cookies);
  const openMatches = await bettors.refresh();

  console.log(`Measuring capacity: ${CAPACITY_IN_FLIGHT} in flight for ${knobs.SOAK_CAPACITY_SECONDS} s (after 2 s of warm-up)...`);
  await measureCapacity(bettors, 2);
  const capacity = await measureCapacity(bettors, knobs.SOAK_CAPACITY_SECONDS);
  const rate = capacity * knobs.SOAK_FRACTION;
  const spentShare = (rate * BUDGET_MINUTES * 60 * STAKE) / cookies.length / demoStartingBalance;
  console.log(
    `Capacity ${capacity.toFixed(0)} bets/s; driving ${rate.toFixed(0)} bets/s (${knobs.SOAK_FRACTION} of it) for ${knobs.SOAK_MINUTES} min, ` +
      `stake ${(STAKE / 100).toFixed(2)}, ${cookies.length} bettors over ${bettors.selections.length} open selections: ` +
      `${BUDGET_MINUTES} min would stake ${(spentShare * 100).toFixed(0)}% of each bettor's ${(demoStartingBalance / 100).toFixed(2)}` +
      (spentShare > 0.8 ? " (WARNING: bettors may run out; raise SOAK_BETTORS)" : ""),
  );
  await sleep(2_000); // the capacity run's backlog mostly flushed before the first interval

  const rows: Row[] = [];
  const start = performance.now();
  const end = start + knobs.SOAK_MINUTES * 60_000;
  current = newInterval();
  refusalsByCode.clear();
  errorsByKind.clear();
  const driver = driveOpenLoop(bettors, rate);
  const staffRun = runStaff(staff, bettors, openMatches);
  console.log(
    `\nSoak: staff e/n/c/s = price edits / new matches / closed / settled in the interval; latency from when a bet was due; ` +
      `drift = users/amount of the last reconciliation\n`,
  );
  for (const text of header()) console.log(text);
  while (performance.now() < end - 1 && !isInterrupted) {
    const next = Math.min(end, current.startedAt + knobs.SOAK_REPORT_SECONDS * 1000);
    while (performance.now() < next && !isInterrupted) await sleep(Math.min(250, next - performance.now()));
    const interval = current;
    current = newInterval();
    const gauges = await readGauges(redis, sql, partitions, web, worker);
    const row = {
      elapsedSeconds: (performance.now() - start) / 1000,
      interval,
      seconds: (current.startedAt - interval.startedAt) / 1000,
      gauges,
    };
    rows.push(row);
    console.log(line(cells(row)));
  }
  staffRun.stop();
  await driver.stop();

  printSummary(rows, capacity, rate);
  redis.disconnect();
  await sql.end({ timeout: 5 });
  await stopEverything();
  process.exit(0);
}

function printSummary(rows: Row[], capacity: number, rate: number) {
  if (rows.length === 0) return;
  const first = cells(rows[0]!);
  const last = cells(rows[rows.length - 1]!);
  console.log(`\nFirst and last interval (capacity ${capacity.toFixed(0)} bets/s, driven at ${rate.toFixed(0)} bets/s):\n`);
  const width = Math.max(...columns.map(([name]) => name.length));
  console.log(`| ${"column".padEnd(width)} | ${"first".padStart(12)} | ${"last".padStart(12)} |`);
  console.log(`|${"-".repeat(width + 2)}|${"-".repeat(13)}:|${"-".repeat(13)}:|`);
  columns.forEach(([name], c) => console.log(`| ${name.padEnd(width)} | ${first[c]!.padStart(12)} | ${last[c]!.padStart(12)} |`));
  const total = (key: "accepted" | "refused" | "errors" | "shed" | "created" | "closed" | "settled" | "edits") =>
    rows.reduce((sum, r) => sum + r.interval[key], 0);
  const list = (map: Map<string, number>) => [...map].map(([k, n]) => `${k} ${n}`).join(", ") || "none";
  console.log(
    `\nTotals: ${total("accepted")} accepted, ${total("refused")} refused (${list(refusalsByCode)}), ${total("errors")} errors (${list(errorsByKind)}), ` +
      `${total("shed")} shed; staff: ${total("edits")} price edits, ${total("created")} matches created, ${total("closed")} closed, ${total("settled")} settled; ` +
      `restarts: web ${restarts.web - 1}, worker ${restarts.worker - 1}\n`,
  );
}

async function stopEverything() {
  await Promise.all(processes.map((p) => p.stop()));
  agent.destroy();
  await stopServices();
}

// The first Ctrl-C ends the soak early, with its summary; a second stops at once.
process.on("SIGINT", () => {
  if (isInterrupted) void stopEverything().finally(() => process.exit(130));
  isInterrupted = true;
});

main().catch(async (error: unknown) => {
  console.error(error);
  await stopEverything().catch(() => {});
  process.exit(1);
});
