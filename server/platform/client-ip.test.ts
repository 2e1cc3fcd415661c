import { describe, expect, it } from "vitest";
import { clientIpFrom } from "./client-ip";

describe("clientIpFrom", () => {
  const h = (xff?: string) => new Headers(xff ? { "x-forwarded-for": xff } : {});

  it("takes the entry added by the nearest trusted hop", () => {
    expect(clientIpFrom(h("203.0.113.9"), 1)).toBe("203.0.113.9");
    expect(clientIpFrom(h("1.1.1.1, 203.0.113.9"), 1)).toBe("203.0.113.9"); // the left entry is client-supplied
    expect(clientIpFrom(h("1.1.1.1, 203.0.113.9, 10.0.0.2"), 2)).toBe("203.0.113.9");
  });

  it("falls back when the header is missing or shorter than the trusted hops", () => {
    expect(clientIpFrom(h(), 1)).toBe("unknown");
    expect(clientIpFrom(h("203.0.113.9"), 3)).toBe("203.0.113.9");
  });
});
