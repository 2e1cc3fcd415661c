import { afterAll, describe, expect, it } from "vitest";
import { requiredEnv } from "@/test/support/api-client";
import { startWeb, waitForHealthy } from "@/scripts/lib/stack";
import { waitFor } from "@/scripts/lib/run";

describe("GET /api/health", () => {
  it("is 200 with every part up on the test stack", async () => {
    const res = await fetch(`${requiredEnv("APP_URL")}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ db: "up", redis: "up", workers: "up" });
  });

  describe("on an instance whose database is unreachable", () => {
    const port = 3190;
    // Port 9 (discard) refuses connections on loopback: a PostgreSQL that is down.
    const web = startWeb(port, {
      DATABASE_URL: "postgres://postgres@127.0.0.1:9/none",
      REDIS_URL: requiredEnv("REDIS_URL"),
      LOG_LEVEL: "fatal",
    });
    afterAll(() => web.stop(1_000));

    it("is 503 naming the database", async () => {
      const url = `http://127.0.0.1:${port}/api/health`;
      await waitFor("the second web instance", async () => (await fetch(url)).status > 0);
      const res = await fetch(url);
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body).toMatchObject({ db: "down", redis: "up", workers: "up" });
      expect(body.error).toMatchObject({ code: "UNAVAILABLE", down: ["db"] });
      await expect(waitForHealthy(`http://127.0.0.1:${port}`, 1_000)).rejects.toThrow(/Timed out/);
    });
  });
});
