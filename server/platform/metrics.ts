import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";
import { singleton } from "./singleton";

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    catalogCacheReads: new Counter({
      name: "bookmaker_catalog_cache_reads_total",
      help: "Catalog cache reads by result (hit, miss).",
      labelNames: ["result"] as const,
      registers: [registry],
    }),
    catalogDbQueries: new Counter({
      name: "bookmaker_catalog_db_queries_total",
      help: "PostgreSQL queries issued by the catalog read path on this instance.",
      registers: [registry],
    }),
    catalogNotifications: new Counter({
      name: "bookmaker_catalog_notifications_total",
      help: "Root change notifications received, by what the cache did with them.",
      labelNames: ["action"] as const,
      registers: [registry],
    }),
    outboxLagSeconds: new Gauge({
      name: "bookmaker_outbox_lag_seconds",
      help: "Age of the oldest unpublished outbox row.",
      registers: [registry],
    }),
    outboxPending: new Gauge({ name: "bookmaker_outbox_pending", help: "Outbox rows waiting to be published.", registers: [registry] }),
    outboxParked: new Gauge({
      name: "bookmaker_outbox_parked",
      help: "Outbox rows parked after repeated failures.",
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: "bookmaker_write_behind_depth",
      help: "Entries in a partition's write-behind log not yet acknowledged.",
      labelNames: ["partition"] as const,
      registers: [registry],
    }),
    queueOldestAgeSeconds: new Gauge({
      name: "bookmaker_write_behind_oldest_age_seconds",
      help: "Age of the oldest entry in a partition's log.",
      labelNames: ["partition"] as const,
      registers: [registry],
    }),
    flushRate: new Gauge({
      name: "bookmaker_write_behind_flushed_per_second",
      help: "Bets written to PostgreSQL per second (last 10 s).",
      labelNames: ["partition"] as const,
      registers: [registry],
    }),
    flushedTotal: new Gauge({
      name: "bookmaker_write_behind_flushed_total",
      help: "Log entries written to PostgreSQL since the partition began.",
      labelNames: ["partition"] as const,
      registers: [registry],
    }),
    quarantined: new Gauge({
      name: "bookmaker_write_behind_quarantined",
      help: "Log entries PostgreSQL refused, set aside until staff resolve them.",
      labelNames: ["partition"] as const,
      registers: [registry],
    }),
    walletDrift: new Gauge({
      name: "bookmaker_wallet_drift_minor_units",
      help: "Sum over users of |Redis available + pending - PostgreSQL balance| at the last reconciliation.",
      registers: [registry],
    }),
    walletDriftUsers: new Gauge({
      name: "bookmaker_wallet_drift_users",
      help: "Users whose Redis wallet differed from PostgreSQL at the last reconciliation.",
      registers: [registry],
    }),
    betsPlaced: new Counter({
      name: "bookmaker_bets_total",
      help: "Bet placement outcomes on this instance (accepted, replay, or the refusal code).",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
  };
}

/** One registry per process: registering a metric twice throws. */
export function metrics() {
  return singleton("metrics", createMetrics);
}
