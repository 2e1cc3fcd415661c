import { describe, expect, it } from "vitest";
import { waitFor } from "@/scripts/lib/run";
import { getConfig } from "@/server/config";
import { ApiClient, signedIn } from "@/test/support/api-client";
import type { MatchDto } from "./match-root";
import { liveKeys } from "@/server/platform/redis-keys";
import { connectTestRedis } from "@/test/support/redis";

// The relay copies what bet acceptance checks into every partition's keys: match status and the kill switch.
const partitions = getConfig({ ...process.env }).WRITE_BEHIND_PARTITIONS;
const redis = connectTestRedis();

async function everyPartition(read: (p: number) => Promise<string | null>, expected: string) {
  const values = await Promise.all(Array.from({ length: partitions }, (_, p) => read(p)));
  return values.every((v) => v === expected);
}

describe("live state in Redis", () => {
  it("follows the kill switch in every partition", async () => {
    const staff = await signedIn("staff@example.com");
    expect((await staff.post("/api/admin/betting", { suspended: true })).body).toEqual({ suspended: true });
    await waitFor("betting suspended everywhere", () => everyPartition((p) => redis.hget(liveKeys.betting(p), "suspended"), "1"), 10_000);
    expect((await staff.post("/api/admin/betting", { suspended: false })).body).toEqual({ suspended: false });
    await waitFor("betting open everywhere", () => everyPartition((p) => redis.hget(liveKeys.betting(p), "suspended"), "0"), 10_000);
  });

  it("follows a match's status in every partition", async () => {
    const staff = await signedIn("staff@example.com");
    const match = ((await new ApiClient().get("/api/catalog")).body.matches as MatchDto[]).find((m) => m.status === "OPEN")!;
    const suspended = await staff.post(`/api/admin/matches/${match.id}/suspend`);
    expect(suspended.body).toMatchObject({ id: match.id, status: "SUSPENDED", version: match.version + 1 });
    await waitFor(
      "the match suspended everywhere",
      () => everyPartition((p) => redis.hget(liveKeys.match(p, match.id), "status"), "SUSPENDED"),
      10_000,
    );
    const again = await staff.post(`/api/admin/matches/${match.id}/suspend`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("INVALID_STATE");
    await staff.post(`/api/admin/matches/${match.id}/resume`);
    await waitFor(
      "the match open everywhere",
      () => everyPartition((p) => redis.hget(liveKeys.match(p, match.id), "status"), "OPEN"),
      10_000,
    );
  });
});
