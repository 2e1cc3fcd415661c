import { describe, expect, it } from "vitest";
import { ApiClient, requiredEnv } from "@/test/support/api-client";
import { readMetric, startWebInstances } from "@/test/support/web-instances";

describe("GET /api/metrics access", () => {
  it("without METRICS_TOKEN, serves loopback clients and refuses others with 403", async () => {
    expect(await readMetric(requiredEnv("APP_URL"), "bookmaker_write_behind_depth")).toBeGreaterThanOrEqual(0);
    // ApiClient arrives through the test stack's trusted proxy hop from an address of its own, not this machine's.
    const remote = await new ApiClient().get("/api/metrics");
    expect(remote.status).toBe(403);
    expect(remote.body.error.code).toBe("FORBIDDEN");
  });

  it("with METRICS_TOKEN, wants the bearer token from everyone, loopback included", async () => {
    const token = "metrics-token-for-the-integration-test";
    const { urls } = await startWebInstances(1, 3263, { METRICS_TOKEN: token });
    const scrape = (headers: Record<string, string> = {}) => fetch(`${urls[0]}/api/metrics`, { headers });
    for (const res of [await scrape(), await scrape({ authorization: `Bearer ${token}-not` }), await scrape({ authorization: token })]) {
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe("UNAUTHENTICATED");
    }
    const allowed = await scrape({ authorization: `Bearer ${token}` });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain("bookmaker_write_behind_depth");
  });
});
