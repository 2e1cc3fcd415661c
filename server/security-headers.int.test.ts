import { describe, expect, it } from "vitest";
import { ApiClient, DEMO_PASSWORD, newBettor, requiredEnv, uniqueEmail } from "@/test/support/api-client";
import { staffClient } from "@/test/support/betting";
import { startWebInstances } from "@/test/support/web-instances";

const appUrl = requiredEnv("APP_URL");

function expectCommonHeaders(headers: Headers, what: string) {
  expect(headers.get("x-content-type-options"), what).toBe("nosniff");
  expect(headers.get("referrer-policy"), what).toBe("strict-origin-when-cross-origin");
}

describe("pages: a Content-Security-Policy with a nonce per response", () => {
  async function page(path: string, cookie?: string) {
    const res = await fetch(appUrl + path, { headers: cookie ? { cookie: `bm_session=${cookie}` } : {} });
    const policy = res.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    return { res, policy, nonce, html: await res.text() };
  }

  it("every script Next.js renders carries the response's nonce, and the nonce is new each time", async () => {
    const first = await page("/");
    const second = await page("/");
    for (const { res, policy, nonce, html } of [first, second]) {
      expect(res.status).toBe(200);
      expectCommonHeaders(res.headers, "/");
      const directives = policy.split(";").map((d) => d.trim());
      expect(directives).toEqual(
        expect.arrayContaining(["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "default-src 'self'"]),
      );
      const scriptSrc = directives.find((d) => d.startsWith("script-src "));
      expect(scriptSrc).toBe(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
      expect(policy).not.toContain("unsafe-inline");
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    }
    expect(first.nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/); // 128 random bits
    expect(second.nonce).not.toBe(first.nonce);
  });

  it("pages rendered for a session are never stored", async () => {
    const bettor = await newBettor();
    for (const path of ["/", "/wallet", "/bets"]) {
      const { res, nonce } = await page(path, bettor.client.cookie("bm_session"));
      expect(res.status, path).toBe(200);
      expect(nonce, path).toBeDefined();
      expect(res.headers.get("cache-control"), path).toContain("no-store");
      expectCommonHeaders(res.headers, path);
    }
  });
});

describe("API responses", () => {
  it("answers that depend on the session are no-store, nosniff and can be neither framed nor run", async () => {
    const bettor = await newBettor();
    const staff = await staffClient();
    const responses = [
      ["bettor GET /api/wallet", await bettor.client.get("/api/wallet")],
      ["bettor GET /api/bets", await bettor.client.get("/api/bets")],
      ["bettor GET /api/auth/me", await bettor.client.get("/api/auth/me")],
      ["staff GET /api/admin/audit", await staff.get("/api/admin/audit")],
      ["staff GET /api/admin/write-behind", await staff.get("/api/admin/write-behind")],
      ["anonymous GET /api/wallet (401)", await new ApiClient().get("/api/wallet")],
      ["bettor POST /api/wallet/deposits (400)", await bettor.client.post("/api/wallet/deposits", {})],
    ] as const;
    for (const [what, res] of responses) {
      expect(res.status, what).toBeLessThan(500);
      expect(res.headers.get("cache-control"), what).toBe("no-store");
      expect(res.headers.get("content-security-policy"), what).toBe("default-src 'none'; frame-ancestors 'none'");
      expectCommonHeaders(res.headers, what);
    }
  });

  it("the odds stream keeps its own caching rules", async () => {
    const abort = new AbortController();
    const res = await fetch(`${appUrl}/api/odds/stream`, { signal: abort.signal });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    expect(res.headers.get("cache-control")).toBe("no-cache, no-transform");
    expectCommonHeaders(res.headers, "/api/odds/stream");
    abort.abort();
  });
});

describe("the session cookie", () => {
  const setCookie = (res: { headers: Headers }) => res.headers.getSetCookie().find((c) => c.startsWith("bm_session="));
  const register = (client: ApiClient, headers: Record<string, string> = {}) =>
    client.request("POST", "/api/auth/register", { json: { email: uniqueEmail(), password: DEMO_PASSWORD }, headers });

  it("is Secure when the client came over HTTPS through the proxy (X-Forwarded-Proto), and not over plain HTTP", async () => {
    const overHttps = await register(new ApiClient(), { "x-forwarded-proto": "https" });
    expect(overHttps.status).toBe(201);
    expect(setCookie(overHttps)).toMatch(/;\s*Secure/i);
    expect(setCookie(overHttps)).toMatch(/;\s*HttpOnly/i);

    const overHttp = await register(new ApiClient());
    expect(overHttp.status).toBe(201);
    expect(setCookie(overHttp)).not.toMatch(/;\s*Secure/i);
  });

  it("is always Secure with COOKIE_SECURE=true, even over plain HTTP", async () => {
    const { urls } = await startWebInstances(1, 3250, { COOKIE_SECURE: "true" });
    const res = await register(new ApiClient(urls[0]!));
    expect(res.status).toBe(201);
    expect(setCookie(res)).toMatch(/;\s*Secure/i);
  });
});
