import { describe, expect, it } from "vitest";
import { clientIpFrom, isHttpsFrom } from "./client-ip";

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

describe("isHttpsFrom", () => {
  const h = (proto?: string) => new Headers(proto ? { "x-forwarded-proto": proto } : {});

  it("believes the protocol written by the outermost trusted hop", () => {
    expect(isHttpsFrom(h("https"), 1)).toBe(true);
    expect(isHttpsFrom(h("HTTPS"), 1)).toBe(true);
    expect(isHttpsFrom(h("http"), 1)).toBe(false);
    expect(isHttpsFrom(h("https, http"), 1)).toBe(false); // the left entry is client-supplied
    expect(isHttpsFrom(h("https, http"), 2)).toBe(true); // the edge proxy saw HTTPS, the inner hop is plain
  });

  it("is false without the header", () => {
    expect(isHttpsFrom(h(), 1)).toBe(false);
  });
});
