import { getWriteBehindStatus } from "@/server/betting/write-behind-status";
import type { Deps } from "@/server/deps";
import { getOutboxStatus } from "@/server/outbox/outbox-status";
import { metrics } from "@/server/platform/metrics";
import { lastWalletDrift } from "@/server/wallet/reconcile-wallets";

/**
 * The Prometheus text of this process's registry. Shared numbers (outbox, write-behind, drift) are read at scrape
 * time, so every instance exports the same ones.
 */
export async function scrapeMetrics(deps: Pick<Deps, "db" | "redis" | "partitions">): Promise<{ body: string; contentType: string }> {
  const m = metrics();
  const [outbox, partitions, drift] = await Promise.all([getOutboxStatus(deps), getWriteBehindStatus(deps), lastWalletDrift(deps)]);
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
  return { body: await m.registry.metrics(), contentType: m.registry.contentType };
}
