import { describe, expect, it } from "vitest";
import { getConfig } from "./config";

const valid = { DATABASE_URL: "postgres://u@127.0.0.1:5432/db", REDIS_URL: "redis://127.0.0.1:6379" };

describe("getConfig", () => {
  it("applies defaults", () => {
    const config = getConfig({ ...valid });
    expect(config.REDIS_ALLOW_UNSAFE).toBe(false);
    expect(config.WRITE_BEHIND_PARTITIONS).toBe(8);
    expect(config.TRUSTED_PROXY_HOPS).toBe(0); // no proxy believed unless configured
    expect(config.METRICS_TOKEN).toBeUndefined();
    expect(getConfig({ ...valid, METRICS_TOKEN: "" }).METRICS_TOKEN).toBeUndefined();
  });

  it("fails naming the variable that is missing or wrong", () => {
    expect(() => getConfig({ REDIS_URL: valid.REDIS_URL })).toThrow(/DATABASE_URL/);
    expect(() => getConfig({ ...valid, REDIS_URL: "http://x" })).toThrow(/REDIS_URL/);
    expect(() => getConfig({ ...valid, SESSION_TTL_HOURS: "-1" })).toThrow(/SESSION_TTL_HOURS/);
    expect(() => getConfig({ ...valid, METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN/);
  });
});
