import { z } from "zod";

const booleanFlag = z
  .enum(["true", "false", "1", "0", ""])
  .default("false")
  .transform((v) => v === "true" || v === "1");

// "a, b,,c" -> ["a", "b", "c"]; unset -> [].
const commaList = z
  .string()
  .default("")
  .transform((v) =>
    v
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );

const configSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    // A Redis Cluster instead of one primary: its nodes as host:port, comma-separated (any few of them will do).
    REDIS_CLUSTER_NODES: commaList.pipe(z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, "Each node is host:port."))),
    // Benchmarks only: accept a Redis that may evict keys or acknowledge writes before fsync, and REDIS_REPLICAS_REQUIRED=0.
    REDIS_ALLOW_UNSAFE: booleanFlag,
    // Replicas that must hold an accepted bet (WAIT) before it is acknowledged: 1 means two disks on two machines (I10).
    REDIS_REPLICAS_REQUIRED: z.coerce.number().int().min(0).max(5).default(1),
    // How long acceptance waits for them; past it the bettor gets 503 UNAVAILABLE (retry with the same key).
    REDIS_REPLICATION_TIMEOUT_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
    // Extra origins allowed to send state-changing requests, besides the request's own host.
    ALLOWED_ORIGINS: commaList,
    // Proxies in front of the web instances that append the address they saw to X-Forwarded-For. 0 (no proxy): the
    // client is the TCP peer; a client's own X-Forwarded-For is never believed (see server/platform/client-ip.ts).
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    SESSION_TTL_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(24 * 14),
    // Whether the session cookie is sent only over HTTPS. Off by default because the demo runs on http://localhost.
    COOKIE_SECURE: booleanFlag,
    // Login throttling; see README "Decisions". Every attempt from one address:
    LOGIN_MAX_ATTEMPTS_PER_IP: z.coerce.number().int().min(1).default(30),
    LOGIN_IP_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
    // Failures against one account from one address, or from one signed-in-before browser (device cookie):
    LOGIN_MAX_FAILURES_PER_CLIENT: z.coerce.number().int().min(1).default(5),
    LOGIN_CLIENT_WINDOW_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .default(15 * 60),
    // Failures against one account from browsers without its device cookie, from any address. 50 an hour keeps the
    // account within OWASP ASVS's 100 failed attempts an hour.
    LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(50),
    LOGIN_ACCOUNT_WINDOW_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .default(60 * 60),
    // How long a browser stays trusted for an account after a successful login there (browsers cap cookies at 400).
    LOGIN_DEVICE_TTL_DAYS: z.coerce.number().int().min(1).max(400).default(90),
    // Bearer token for GET /api/metrics; unset (or empty), only loopback clients may scrape.
    METRICS_TOKEN: z
      .union([z.literal(""), z.string().min(16, "Use at least 16 characters.")])
      .optional()
      .transform((v) => v || undefined),
    WRITE_BEHIND_PARTITIONS: z.coerce.number().int().min(1).max(256).default(8),
    // Most bets the flusher writes to PostgreSQL in one transaction. Every batch credits the one STAKES account, whose
    // row lock each commit holds for a moment, and pays a statement's fixed costs: 2000 flushed 1.1-1.2x as fast as 500.
    FLUSH_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(2000),
    // Stake limits per bet, in minor units; the payout limit caps floor(stake x odds).
    BET_MIN_STAKE: z.coerce.number().int().min(1).default(100),
    BET_MAX_STAKE: z.coerce.number().int().min(1).default(500_000),
    BET_MAX_PAYOUT: z.coerce.number().int().min(1).default(10_000_000),
    BET_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
    // The default cap on any one selection's live liability per match (API.md "Trader risk"), minor units. Each of
    // the WRITE_BEHIND_PARTITIONS starts with an even share, so the default leaves every partition room for a bet
    // at BET_MAX_PAYOUT on a quiet match.
    MAX_LIABILITY_PER_MATCH: z.coerce.number().int().min(0).max(9_000_000_000).default(100_000_000),
    // Bets with at least this stake appear in the traders' big-bet feed.
    BIG_BET_STAKE: z.coerce.number().int().min(1).default(50_000),
    // Off only to measure what live liability and its cap cost (npm run bench:bets): no counting, no cap.
    RISK_TRACKING_ENABLED: z
      .enum(["true", "false"])
      .default("true")
      .transform((v) => v === "true"),
    // What a cash-out keeps for the house, in percent of the fair value (API.md "Cash out").
    CASH_OUT_MARGIN_PERCENT: z.coerce.number().int().min(0).max(50).default(5),
    WALLET_RECONCILE_EVERY_SECONDS: z.coerce.number().int().min(1).default(30),
    // How long after its payout a match's bets still answer a replayed idempotency key with the bet (then MATCH_CLOSED).
    IDEMPOTENCY_RETENTION_AFTER_SETTLEMENT_MINUTES: z.coerce.number().int().min(0).default(60),
    // How web instances react to a catalog change notification; see README "Catalog cache".
    CATALOG_INVALIDATION_MODE: z.enum(["invalidate", "invalidate-if-older", "push", "push-if-newer"]).default("push-if-newer"),
    // Safety net: the longest a cached match can be served if its change notification was lost.
    CATALOG_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    // Off only to measure what the cache saves (npm run bench:catalog).
    CATALOG_CACHE_ENABLED: z
      .enum(["true", "false"])
      .default("true")
      .transform((v) => v === "true"),
  })
  .refine((c) => c.REDIS_REPLICAS_REQUIRED > 0 || c.REDIS_ALLOW_UNSAFE, {
    path: ["REDIS_REPLICAS_REQUIRED"],
    message: "0 keeps an acknowledged bet on one disk: allowed only with REDIS_ALLOW_UNSAFE=true (benchmarks).",
  });

export type Config = z.infer<typeof configSchema>;

let cached: Config | undefined;

/** Parses the environment once; a bad or missing variable fails with its name. */
export function getConfig(env: Record<string, string | undefined> = process.env): Config {
  if (cached && env === process.env) return cached;
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration in the environment:\n${lines.join("\n")}`);
  }
  if (env === process.env) cached = parsed.data;
  return parsed.data;
}
