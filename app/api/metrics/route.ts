import { getOutboxStatus } from "@/server/outbox/outbox-status";
import { getDb } from "@/server/platform/db";
import { metrics } from "@/server/platform/metrics";
import { route } from "@/app/lib/handler";

// GET /api/metrics (Prometheus text). Shared numbers (outbox) are read from PostgreSQL at scrape time.
export const GET = route(async () => {
  const m = metrics();
  const outbox = await getOutboxStatus(getDb());
  m.outboxPending.set(outbox.pending);
  m.outboxLagSeconds.set(outbox.lagSeconds);
  m.outboxParked.set(outbox.parkedTotal);
  return new Response(await m.registry.metrics(), { headers: { "content-type": m.registry.contentType } });
});
