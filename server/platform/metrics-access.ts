import { createHash, timingSafeEqual } from "node:crypto";
import type { Config } from "@/server/config";
import { AppError } from "@/server/errors";
import { isFromLoopback } from "./client-ip";

// Equal-length digests, so the comparison takes the same time whatever the token presented.
const digest = (secret: string) => createHash("sha256").update(secret).digest();

/**
 * Who may scrape GET /api/metrics: with METRICS_TOKEN set, whoever presents it as a bearer token; without, only
 * clients on this machine (by socket address, see client-ip.ts), so a deployment exposes nothing by default.
 */
export function authorizeMetricsScrape(headers: Headers, config: Pick<Config, "METRICS_TOKEN" | "TRUSTED_PROXY_HOPS">): void {
  if (config.METRICS_TOKEN) {
    const presented = /^Bearer (\S+)$/i.exec(headers.get("authorization") ?? "")?.[1] ?? "";
    if (!timingSafeEqual(digest(presented), digest(config.METRICS_TOKEN))) {
      throw new AppError("UNAUTHENTICATED", "Metrics need the header Authorization: Bearer <METRICS_TOKEN>.");
    }
  } else if (!isFromLoopback(headers, config.TRUSTED_PROXY_HOPS)) {
    throw new AppError("FORBIDDEN", "Metrics are served to this machine only, unless METRICS_TOKEN is set.");
  }
}
