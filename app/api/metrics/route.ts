import { getWriteBehindStatus } from "@/server/betting/write-behind-status";
import { getConfig } from "@/server/config";
import { getOutboxStatus } from "@/server/outbox/outbox-status";
import { getDb } from "@/server/platform/db";
import { metrics } from "@/server/platform/metrics";
import { authorizeMetricsScrape } from "@/server/platform/metrics-access";
import { getRedis } from "@/server/platform/redis";
import { lastWalletDrift } from "@/server/wallet/reconcile-wallets";
import { route } from "@/app/lib/handler";

// GET /api/metrics (Prometheus text), for METRICS_TOKEN or loopback. Shared numbers (outbox, write-behind, drift) are
// read at scrape time.
export const GET = route(async (request) => {
  authorizeMetricsScrape(request.headers, getConfig());
  const m = metrics();
  const [outbox, partitions, drift] = await Promise.all([
    getOutboxStatus(getDb()),
    getWriteBehindStatus(getDb(), getRedis(), getConfig().WRITE_BEHIND_PARTITIONS),
    lastWalletDrift(getRedis()),
  ]);
  m.outboxPending.set(outbox.pending);
  m.outboxLagSeconds.set(outbox.lagSeconds);
  m.outboxParked.set(outbox.parkedTotal);
  for (const p of partitions) {
    const partition = String(p.id);
    m.queueDepth.set({ partition }, p.depth);
    m.queueOldestAgeSeconds.set({ partition }, p.oldestAgeMs / 1000);
    m.flushRate.set({ partition }, p.flushedPerSec);
    m.flushedTotal.set({ partition }, p.flushedTotal);
    m.quarantined.set({ partition }, p.quarantined);
  }
  if (drift) {
    m.walletDrift.set(drift.totalAbs);
    m.walletDriftUsers.set(drift.users);
  }
  return new Response(await m.registry.metrics(), { headers: { "content-type": m.registry.contentType } });
});
