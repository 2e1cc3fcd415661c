import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Redis } from "ioredis";
import { waitFor } from "@/scripts/lib/run";
import type { Database } from "@/server/platform/db";
import { waitUntilCreditsApplied } from "./lifecycle";

/**
 * Everything a refused request must leave as it was, for "bad input changes nothing" (S6): the row count of every
 * PostgreSQL table, every account's balance, the catalog's versions and prices, and the domain keys of every Redis
 * partition (wallets, credits applied, idempotency records, pending bets, the bet log, live odds and states).
 * Left out: what moves on its own (flusher leases and statistics, BullMQ's keys) and counters whose job is to count
 * attempts (bet rate windows, login limits), plus the session cache, which reads fill.
 */
export async function snapshotState(db: Database, redis: Redis) {
  const [postgres, redisState] = await Promise.all([snapshotPostgres(db), snapshotRedis(redis)]);
  return { postgres, redis: redisState };
}

async function snapshotPostgres(db: Database) {
  const tables = (await db.execute<{ tablename: string }>(sql`select tablename from pg_tables where schemaname = 'public' order by tablename`)).map((r) => r.tablename);
  const counts = sql.join(
    tables.map((t) => sql`${t}::text, (select count(*) from ${sql.identifier(t)})`),
    sql`, `,
  );
  const [row] = await db.execute<{ counts: Record<string, number>; balances: Record<string, string> | null; catalog: string }>(sql`
    select
      json_build_object(${counts}) as counts,
      (select json_object_agg(id, balance) from accounts) as balances,
      md5(concat(
        (select string_agg(concat_ws('|', id, status, settlement_state, version, starts_at), ',' order by id) from matches),
        (select string_agg(concat_ws('|', id, status), ',' order by id) from markets),
        (select string_agg(concat_ws('|', id, odds, version), ',' order by id) from selections),
        (select string_agg(concat_ws('|', key, value::text), ',' order by key) from platform_settings)
      )) as catalog`);
  return { rowCounts: row!.counts, balances: row!.balances ?? {}, catalog: row!.catalog };
}

// bm:{pN}:<kind>:... keys that change without any request, or count requests by design.
const VOLATILE_PARTITION_KINDS = new Set(["flusher", "rate"]);

async function snapshotRedis(redis: Redis) {
  const keys: string[] = [];
  for await (const batch of redis.scanStream({ match: "bm:{p*}:*", count: 1000 }) as AsyncIterable<string[]>) keys.push(...batch);
  const domainKeys = keys.filter((k) => !VOLATILE_PARTITION_KINDS.has(k.split(":")[2] ?? "")).sort();
  const types = (await redis.multi(domainKeys.map((k) => ["type", k])).exec())!.map(([, type]) => type as string);
  const reads = domainKeys.map((k, i): [string, string] => {
    const command = { hash: "hgetall", set: "smembers", stream: "xlen", string: "get" }[types[i]!];
    if (!command) throw new Error(`snapshotRedis: no reader for ${k} (${types[i]})`);
    return [command, k];
  });
  const values = (await redis.multi(reads).exec())!.map(([, value]) => value);
  const digest = createHash("sha256");
  const keysPerKind: Record<string, number> = {};
  domainKeys.forEach((key, i) => {
    const kind = key.split(":")[2]!;
    keysPerKind[kind] = (keysPerKind[kind] ?? 0) + 1;
    const value = values[i];
    const canonical = Array.isArray(value) ? [...value].sort() : value !== null && typeof value === "object" ? Object.entries(value).sort() : value;
    digest.update(`${key}=${JSON.stringify(canonical)}\n`);
  });
  return { keysPerKind, digest: digest.digest("hex") };
}

/** Waits until nothing is in flight: every outbox row relayed and every partition's bet log flushed. */
export async function waitUntilQuiet(db: Database, redis: Redis) {
  await waitUntilCreditsApplied(db);
  await waitFor(
    "the bet logs flushed",
    async () => {
      const streams: string[] = [];
      for await (const batch of redis.scanStream({ match: "bm:{p*}:bets", count: 1000 }) as AsyncIterable<string[]>) streams.push(...batch);
      const lengths = await Promise.all(streams.map((s) => redis.xlen(s)));
      return lengths.every((n) => n === 0);
    },
    60_000,
  );
}
