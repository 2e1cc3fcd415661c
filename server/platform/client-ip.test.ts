import { describe, expect, it } from "vitest";
import { clientIpFrom, isFromLoopback, isHttpsFrom, withSocketAddress } from "./client-ip";

// Headers as route handlers see them: web-server.ts has appended the socket address (the last entry).
const h = (xff?: string) => new Headers(xff ? { "x-forwarded-for": xff } : {});

describe("withSocketAddress", () => {
  it("appends the TCP peer after whatever the request carried", () => {
    expect(withSocketAddress(undefined, "127.0.0.1")).toBe("127.0.0.1");
    expect(withSocketAddress("6.6.6.6", "203.0.113.9")).toBe("6.6.6.6, 203.0.113.9");
    expect(withSocketAddress(["6.6.6.6", "7.7.7.7"], "203.0.113.9")).toBe("6.6.6.6, 7.7.7.7, 203.0.113.9");
  });
});

describe("clientIpFrom", () => {
  it("takes the socket address without a proxy, whatever the client forwarded", () => {
    expect(clientIpFrom(h("203.0.113.9"), 0)).toBe("203.0.113.9");
    expect(clientIpFrom(h("6.6.6.6, 203.0.113.9"), 0)).toBe("203.0.113.9");
    expect(clientIpFrom(h("::ffff:203.0.113.9"), 0)).toBe("203.0.113.9");
  });

  it("takes the entry added by the nearest trusted hop", () => {
    expect(clientIpFrom(h("203.0.113.9, 10.0.0.1"), 1)).toBe("203.0.113.9");
    expect(clientIpFrom(h("1.1.1.1, 203.0.113.9, 10.0.0.1"), 1)).toBe("203.0.113.9"); // the left entry is client-supplied
    expect(clientIpFrom(h("1.1.1.1, 203.0.113.9, 10.0.0.2, 10.0.0.1"), 2)).toBe("203.0.113.9");
  });

  it("falls back when the header is missing or shorter than the trusted hops", () => {
    expect(clientIpFrom(h(), 1)).toBe("unknown");
    expect(clientIpFrom(h("203.0.113.9"), 3)).toBe("203.0.113.9");
  });
});

describe("isFromLoopback", () => {
  it("needs the client and every trusted hop to be loopback", () => {
    expect(isFromLoopback(h("127.0.0.1"), 0)).toBe(true);
    expect(isFromLoopback(h("::1"), 0)).toBe(true);
    expect(isFromLoopback(h("127.0.0.1, 203.0.113.9"), 0)).toBe(false); // a forged entry changes nothing
    expect(isFromLoopback(h("203.0.113.9, 127.0.0.1"), 0)).toBe(true); // nor here: the socket is loopback
    expect(isFromLoopback(h("203.0.113.9, 127.0.0.1"), 1)).toBe(false); // through a local proxy, from outside
    expect(isFromLoopback(h("127.0.0.1, 203.0.113.9"), 1)).toBe(false); // a proxy elsewhere
    expect(isFromLoopback(h("127.0.0.1, 127.0.0.1"), 1)).toBe(true);
    expect(isFromLoopback(h(), 0)).toBe(false);
  });
});

describe("isHttpsFrom", () => {
  const proto = (value?: string) => new Headers(value ? { "x-forwarded-proto": value } : {});

  it("believes the protocol written by the outermost trusted hop", () => {
    expect(isHttpsFrom(proto("https"), 1)).toBe(true);
    expect(isHttpsFrom(proto("HTTPS"), 1)).toBe(true);
    expect(isHttpsFrom(proto("http"), 1)).toBe(false);
    expect(isHttpsFrom(proto("https, http"), 1)).toBe(false); // the left entry is client-supplied
    expect(isHttpsFrom(proto("https, http"), 2)).toBe(true); // the edge proxy saw HTTPS, the inner hop is plain
  });

  it("is false without the header, and without a trusted proxy whatever the request says", () => {
    expect(isHttpsFrom(proto(), 1)).toBe(false);
    expect(isHttpsFrom(proto("https"), 0)).toBe(false);
  });
});
