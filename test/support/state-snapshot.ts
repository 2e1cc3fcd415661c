import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { RedisClient } from "@/server/platform/redis";
import { primaryConnections } from "@/server/platform/replication";
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
export async function snapshotState(db: Database, redis: RedisClient) {
  const [postgres, redisState] = await Promise.all([snapshotPostgres(db), snapshotRedis(redis)]);
  return { postgres, redis: redisState };
}

async function snapshotPostgres(db: Database) {
  const tables = (
    await db.execute<{ tablename: string }>(sql`select tablename from pg_tables where schemaname = 'public' order by tablename`)
  ).map((r) => r.tablename);
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

/** Every key matching the pattern, on every primary (a Cluster spreads them). */
async function scanKeys(redis: RedisClient, match: string): Promise<string[]> {
  const keys: string[] = [];
  for (const node of await primaryConnections(redis)) {
    for await (const batch of node.scanStream({ match, count: 1000 }) as AsyncIterable<string[]>) keys.push(...batch);
  }
  return keys;
}

async function snapshotRedis(redis: RedisClient) {
  const keys = await scanKeys(redis, "bm:{p*}:*");
  const domainKeys = keys.filter((k) => !VOLATILE_PARTITION_KINDS.has(k.split(":")[2] ?? "")).sort();
  const types = await Promise.all(domainKeys.map((k) => redis.type(k)));
  const values = await Promise.all(
    domainKeys.map((k, i): Promise<unknown> => {
      const type = types[i]!;
      if (type === "hash") return redis.hgetall(k);
      if (type === "set") return redis.smembers(k);
      if (type === "stream") return redis.xlen(k);
      if (type === "string") return redis.get(k);
      throw new Error(`snapshotRedis: no reader for ${k} (${type})`);
    }),
  );
  const digest = createHash("sha256");
  const keysPerKind: Record<string, number> = {};
  domainKeys.forEach((key, i) => {
    const kind = key.split(":")[2]!;
    keysPerKind[kind] = (keysPerKind[kind] ?? 0) + 1;
    const value = values[i];
    const canonical = Array.isArray(value)
      ? [...value].sort()
      : value !== null && typeof value === "object"
        ? Object.entries(value).sort()
        : value;
    digest.update(`${key}=${JSON.stringify(canonical)}\n`);
  });
  return { keysPerKind, digest: digest.digest("hex") };
}

/** Waits until nothing is in flight: every outbox row relayed and every partition's bet log flushed. */
export async function waitUntilQuiet(db: Database, redis: RedisClient) {
  await waitUntilCreditsApplied(db);
  await waitFor(
    "the bet logs flushed",
    async () => {
      const streams = await scanKeys(redis, "bm:{p*}:bets");
      const lengths = await Promise.all(streams.map((s) => redis.xlen(s)));
      return lengths.every((n) => n === 0);
    },
    60_000,
  );
}
