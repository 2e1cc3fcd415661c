import { partitionTag } from "./partitions";

/**
 * The whole Redis keyspace, in one place: every key and channel the platform reads or writes is built here, so
 * a reader sees the layout at once and two modules can never disagree on a name. Keys of one write-behind
 * partition share the `{pN}` hash tag, so one Lua script (one Redis Cluster slot) can touch all of them.
 */

/**
 * The live state bet acceptance checks, one copy per partition (server/catalog/live-state.ts):
 *   bm:{pN}:match:<id>   status, version, maxLiability (empty: MAX_LIABILITY_PER_MATCH)
 *   bm:{pN}:market:<id>  status, matchId
 *   bm:{pN}:sel:<id>     odds (hundredths), version, marketId, matchId
 *   bm:{pN}:betting      suspended (0/1), version
 */
export const liveKeys = {
  match: (p: number, id: string) => `bm:${partitionTag(p)}:match:${id}`,
  market: (p: number, id: string) => `bm:${partitionTag(p)}:market:${id}`,
  selection: (p: number, id: string) => `bm:${partitionTag(p)}:sel:${id}`,
  betting: (p: number) => `bm:${partitionTag(p)}:betting`,
};

/**
 * The write-behind log, one Redis Stream per partition, and the keys that travel with it
 * (server/betting/write-behind-log.ts owns the entries' format):
 *   bm:{pN}:bets                 the stream: bets (and completion markers) in acceptance order
 *   bm:{pN}:idem:<userId>        idempotency key -> request fingerprint + the accepted bet
 *   bm:{pN}:pending:<userId>     bet id -> the accepted bet, until the flusher has written it to PostgreSQL
 *   bm:{pN}:flusher:lease        the active flusher's id (expires unless renewed)
 *   bm:{pN}:flusher:fence        fencing token counter, one increment per lease taken
 *   bm:{pN}:flusher:stats        last flushed id and recent flush rate, for the back office
 *   bm:{pN}:rate:<userId>        bets in the current one-minute window (rate limit)
 *   bm:{pN}:cashouts:<userId>    bet id -> "amount|stream id" of its cash-out, for good (a bet is cashed out once)
 */
export const logKeys = {
  stream: (p: number) => `bm:${partitionTag(p)}:bets`,
  idempotency: (p: number, userId: string) => `bm:${partitionTag(p)}:idem:${userId}`,
  pending: (p: number, userId: string) => `bm:${partitionTag(p)}:pending:${userId}`,
  lease: (p: number) => `bm:${partitionTag(p)}:flusher:lease`,
  fence: (p: number) => `bm:${partitionTag(p)}:flusher:fence`,
  stats: (p: number) => `bm:${partitionTag(p)}:flusher:stats`,
  rate: (p: number, userId: string) => `bm:${partitionTag(p)}:rate:${userId}`,
  cashOuts: (p: number, userId: string) => `bm:${partitionTag(p)}:cashouts:${userId}`,
};

/**
 * Live liability (server/risk/liability.ts owns the fields), per partition, counted by bet acceptance itself:
 *   bm:{pN}:risk:<matchId>     w (this partition's weight of the match's cap, of 1,000,000), and per selection of
 *                              market k: pay:k:s (potential payout), st:k:s (stakes), n:k:s (bets); mk:k (stakes of
 *                              singles on market k); t:<transferId> (weight transfers received, applied once)
 *   bm:{pN}:risk:needy         match ids whose allowance ran low here: the rebalancer moves weight to them
 *   bm:{pN}:risk:transfers     transfer id -> "matchId|to partition|weight", given here and not yet received
 *   bm:{pN}:risk:big-bets      stream of the bets over BIG_BET_STAKE, for the traders' feed
 *   bm:{pN}:bettor:<userId>    stakeFactor (percent, absent: 100), copied from PostgreSQL
 */
export const riskKeys = {
  match: (p: number, matchId: string) => `bm:${partitionTag(p)}:risk:${matchId}`,
  needy: (p: number) => `bm:${partitionTag(p)}:risk:needy`,
  transfers: (p: number) => `bm:${partitionTag(p)}:risk:transfers`,
  bigBets: (p: number) => `bm:${partitionTag(p)}:risk:big-bets`,
  bettor: (p: number, userId: string) => `bm:${partitionTag(p)}:bettor:${userId}`,
};

/**
 * A bettor's wallet, in their write-behind partition:
 *   bm:{pN}:wallet:<userId>    available, pending (stakes accepted but not yet in PostgreSQL), withdrawing
 *                              (withdrawals reserved, not yet finished: server/wallet/withdrawals.ts), cashingOut
 *                              (cash-outs credited here, not yet in PostgreSQL: server/betting/cash-out.ts)
 *   bm:{pN}:credited:<userId>  the ledger entries ("KIND:reference") already credited, so each credit applies once
 *   bm:{pN}:withdrawals        "<userId>:<idempotency key>" -> the reservation (JSON), while a withdrawal is in flight
 */
export const walletKeys = {
  wallet: (p: number, userId: string) => `bm:${partitionTag(p)}:wallet:${userId}`,
  credited: (p: number, userId: string) => `bm:${partitionTag(p)}:credited:${userId}`,
  withdrawals: (p: number) => `bm:${partitionTag(p)}:withdrawals`,
};

/** Keys outside the partitions: one of each per deployment. */
export const globalKeys = {
  // The outbox relay's lease: one relay publishes at a time.
  relayLease: "bm:outbox:relay:lease",
  // The last wallet reconciliation's result, exported by every web instance at /api/metrics.
  walletDrift: "bm:wallet:drift",
  // Worker id -> last heartbeat, for /api/health.
  workerHeartbeats: "bm:workers:heartbeats",
  // A session's cached row, by the token's hash.
  session: (tokenHash: string) => `bm:session:${tokenHash}`,
  // A browser trusted for an account (login device cookie), by the hash of account and token.
  loginDevice: (id: string) => `bm:auth:device:${id}`,
  // rate-limiter-flexible's counters, one prefix per limiter.
  rateLimiterPrefix: (name: string) => `bm:rl:${name}`,
};

/**
 * BullMQ's prefix for every queue's keys. In braces, so a queue's keys share one Redis Cluster slot, as BullMQ's
 * scripts need (bullmq#906); one prefix for all queues keeps them on one node, which is plenty for a few jobs a minute.
 */
export const jobQueuePrefix = "{bm:jobs}";

/** Pub/sub channels, one per root type (the Distributed Cache pattern). */
export const rootChannels = { match: "bm:roots:match", betting: "bm:roots:betting" } as const;
