import { webDeps } from "@/server/deps";
import { scrapeMetrics } from "@/server/health/scrape-metrics";
import { authorizeMetricsScrape } from "@/server/platform/metrics-access";
import { route } from "@/app/lib/handler";

// GET /api/metrics (Prometheus text), for METRICS_TOKEN or loopback.
export const GET = route(async (request) => {
  const deps = webDeps();
  authorizeMetricsScrape(request.headers, deps.config);
  const { body, contentType } = await scrapeMetrics(deps);
  return new Response(body, { headers: { "content-type": contentType } });
});
