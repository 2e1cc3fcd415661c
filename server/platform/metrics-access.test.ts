import { describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import { authorizeMetricsScrape } from "./metrics-access";

const TOKEN = "a-metrics-token-of-some-length";
const request = (xff: string, authorization?: string) =>
  new Headers({ "x-forwarded-for": xff, ...(authorization ? { authorization } : {}) });
const codeOf = (run: () => void) => {
  try {
    run();
    return "allowed";
  } catch (error) {
    return error instanceof AppError ? error.code : "other";
  }
};

describe("authorizeMetricsScrape", () => {
  it("without a token, admits loopback clients only", () => {
    const config = { METRICS_TOKEN: undefined, TRUSTED_PROXY_HOPS: 0 };
    expect(codeOf(() => authorizeMetricsScrape(request("127.0.0.1"), config))).toBe("allowed");
    expect(codeOf(() => authorizeMetricsScrape(request("127.0.0.1, 203.0.113.9"), config))).toBe("FORBIDDEN");
    expect(codeOf(() => authorizeMetricsScrape(request("203.0.113.9, 127.0.0.1"), { ...config, TRUSTED_PROXY_HOPS: 1 }))).toBe("FORBIDDEN");
  });

  it("with a token, wants it from everyone, loopback included", () => {
    const config = { METRICS_TOKEN: TOKEN, TRUSTED_PROXY_HOPS: 0 };
    expect(codeOf(() => authorizeMetricsScrape(request("203.0.113.9", `Bearer ${TOKEN}`), config))).toBe("allowed");
    expect(codeOf(() => authorizeMetricsScrape(request("127.0.0.1"), config))).toBe("UNAUTHENTICATED");
    expect(codeOf(() => authorizeMetricsScrape(request("127.0.0.1", `Bearer ${TOKEN}x`), config))).toBe("UNAUTHENTICATED");
    expect(codeOf(() => authorizeMetricsScrape(request("127.0.0.1", TOKEN), config))).toBe("UNAUTHENTICATED");
  });
});
