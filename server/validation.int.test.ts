import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, newBettor, requiredEnv, signedIn } from "@/test/support/api-client";
import { openMatch, staffClient } from "@/test/support/betting";
import { connectTestDatabase } from "@/test/support/database";
import { discoverApiRoutes, isStateChanging } from "@/test/support/routes";
import { snapshotState, waitUntilQuiet } from "@/test/support/state-snapshot";
import { connectTestRedis } from "@/test/support/redis";

const db = connectTestDatabase();
const redis = connectTestRedis();
afterAll(() => redis.quit());
beforeAll(() => waitUntilQuiet(db, redis));

// S6: bad input is a 400 with field errors, never a 500, and changes nothing.
const junkBodies: { name: string; body: string }[] = [
  { name: "malformed JSON", body: '{"email": "a@b.c",' },
  { name: "empty body", body: "" },
  { name: "null", body: "null" },
  { name: "an array", body: "[1,2,3]" },
  { name: "a string", body: '"hello"' },
  { name: "wrong types", body: JSON.stringify({ email: 42, password: ["x"], amount: "ten", odds: 2.1, stake: -1 }) },
  { name: "prototype pollution", body: '{"__proto__": {"role": "staff"}, "constructor": {"prototype": {"x": 1}}}' },
  { name: "huge string", body: JSON.stringify({ email: `${"a".repeat(100_000)}@example.com`, password: "p".repeat(100_000) }) },
];

// Every table's row count, every balance, the catalog and Redis's domain keys (see state-snapshot.ts).
const snapshot = () => snapshotState(db, redis);

describe("validation at the boundary (S6)", () => {
  it.each([
    ["/api/auth/register", { email: "not-an-email", password: "short" }, ["email", "password"]],
    ["/api/auth/register", { password: "long-enough-password" }, ["email"]],
    ["/api/auth/login", { email: "alice@example.com" }, ["password"]],
  ])("POST %s %j: 400 VALIDATION_FAILED naming %j", async (path, body, fields) => {
    const before = await snapshot();
    const res = await new ApiClient().post(path, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    expect(res.body.error.issues.map((i: { path: string }) => i.path)).toEqual(fields);
    for (const issue of res.body.error.issues) expect(issue.message).toEqual(expect.any(String));
    expect(await snapshot()).toEqual(before);
  });

  it("a malformed id in a path is a 400, an unknown one a 404", async () => {
    const bad = await new ApiClient().get("/api/matches/not-an-id");
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toBe("id");
    const unknown = await new ApiClient().get("/api/matches/00000000-0000-4000-8000-000000000000");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("NOT_FOUND");
  });

  // Every route, every method, signed in as staff (the widest access), fed junk: never a 500, never a change.
  // Routes that read no body are left out: logout, and the no-op POST /api/health/live (always 204).
  const bodyless = new Set(["/api/auth/logout", "/api/health/live"]);
  const routes = discoverApiRoutes().filter((r) => r.method !== "GET" && !bodyless.has(r.path));
  for (const route of routes) {
    it(`${route.method} ${route.path} answers junk with a 4xx and changes nothing`, async () => {
      const staff = await signedIn("staff@example.com");
      const before = await snapshot();
      for (const { name, body } of junkBodies) {
        const res = await staff.request(route.method, route.path, { body, headers: { "content-type": "application/json" } });
        expect(res.status, `${name} -> ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        expect(res.status, name).toBeLessThan(500);
        expect(res.body.error.code, name).toEqual(expect.any(String));
      }
      expect(await snapshot()).toEqual(before);
    });
  }
});

// API.md "Operations": a body is JSON and at most 64 KB, refused from its headers before it is read (415, 413); a
// chunked body announces no length, so reading it stops at the limit. A request without a body passes.
describe("request bodies at the boundary", () => {
  const appUrl = requiredEnv("APP_URL");
  const credentials = new TextEncoder().encode(JSON.stringify({ email: "alice@example.com", password: "password123" }));
  // Credentials of nobody, padded with whitespace (still valid JSON) to the given size.
  const paddedTo = (bytes: number) => {
    const json = JSON.stringify({ email: "nobody@example.test", password: "not-a-password" });
    return new TextEncoder().encode(json + " ".repeat(bytes - json.length));
  };
  const stateChanging = discoverApiRoutes().filter((r) => isStateChanging(r.method));

  /** fetch with exactly the given body and Content-Type (a string body would get text/plain from fetch itself). */
  const send = (method: string, path: string, body: BodyInit | undefined, contentType?: string, cookie?: string) =>
    fetch(appUrl + path, {
      method,
      body,
      duplex: "half",
      headers: { ...(contentType ? { "content-type": contentType } : {}), ...(cookie ? { cookie: `bm_session=${cookie}` } : {}) },
    } as RequestInit);

  const chunked = (bytes: Uint8Array<ArrayBuffer>) =>
    new ReadableStream({
      start(controller) {
        for (let at = 0; at < bytes.byteLength; at += 16_384) controller.enqueue(bytes.slice(at, at + 16_384));
        controller.close();
      },
    });

  it.each([
    ["text/plain"],
    ["application/xml"],
    ["application/x-www-form-urlencoded"],
    ["application/json; charset=iso-8859-1"],
    [undefined],
  ])("a JSON body sent as %s is 415 UNSUPPORTED_MEDIA_TYPE on every route that changes state, and changes nothing", async (contentType) => {
    const staff = await signedIn("staff@example.com");
    const before = await snapshot();
    for (const route of stateChanging) {
      const res = await send(route.method, route.path, credentials, contentType, staff.cookie("bm_session"));
      expect(res.status, `${route.method} ${route.path}`).toBe(415);
      expect((await res.json()).error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    }
    expect(await snapshot()).toEqual(before);
  });

  it("application/json with a charset of UTF-8, in any case, is JSON", async () => {
    for (const contentType of ["application/json; charset=utf-8", 'Application/JSON; Charset="UTF-8"']) {
      const res = await send("POST", "/api/auth/login", credentials, contentType);
      expect(res.status, contentType).toBe(200);
    }
  });

  it.each([
    ["5 MB", 5 * 1024 * 1024],
    ["70 KB", 70 * 1024],
  ])("a %s body is 413 PAYLOAD_TOO_LARGE on every route that changes state, and changes nothing", async (_size, bytes) => {
    const body = paddedTo(bytes);
    const staff = await signedIn("staff@example.com");
    const before = await snapshot();
    for (const route of stateChanging) {
      const res = await send(route.method, route.path, body, "application/json", staff.cookie("bm_session"));
      expect(res.status, `${route.method} ${route.path}`).toBe(413);
      expect((await res.json()).error.code).toBe("PAYLOAD_TOO_LARGE");
    }
    expect(await snapshot()).toEqual(before);
  });

  it("a chunked body (no Content-Length) is 413 once it passes 64 KB; exactly 64 KB is read and judged as JSON", async () => {
    for (const bytes of [5 * 1024 * 1024, 64 * 1024 + 1]) {
      const res = await send("POST", "/api/auth/login", chunked(paddedTo(bytes)), "application/json");
      expect(res.status, `${bytes} bytes`).toBe(413);
    }
    const atLimit = await send("POST", "/api/auth/login", chunked(paddedTo(64 * 1024)), "application/json");
    expect(atLimit.status).toBe(401);
    expect((await atLimit.json()).error.code).toBe("BAD_CREDENTIALS");
  });

  it("a body that never ends is refused at 64 KB without waiting for its end", async () => {
    const chunk = new TextEncoder().encode(" ".repeat(16_384));
    const endless = new ReadableStream({ pull: (controller) => controller.enqueue(chunk) });
    const abort = new AbortController();
    const res = await fetch(`${appUrl}/api/auth/login`, {
      method: "POST",
      body: endless,
      duplex: "half",
      headers: { "content-type": "application/json" },
      signal: abort.signal,
    } as RequestInit);
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe("PAYLOAD_TOO_LARGE");
    abort.abort();
  });

  it("body-less POSTs still work, whatever Content-Type they carry", async () => {
    const match = await openMatch();
    const staff = await staffClient();
    for (const contentType of [undefined, "text/plain", "application/json"]) {
      const suspended = await send("POST", `/api/admin/matches/${match.id}/suspend`, undefined, contentType, staff.cookie("bm_session"));
      expect(suspended.status, String(contentType)).toBe(200);
      expect((await suspended.json()).status).toBe("SUSPENDED");
      const resumed = await staff.post(`/api/admin/matches/${match.id}/resume`);
      expect(resumed.status).toBe(200);
    }
    expect((await send("POST", "/api/health/live", undefined, "text/plain")).status).toBe(204);
    const bettor = await newBettor();
    expect((await send("POST", "/api/auth/logout", undefined, undefined, bettor.client.cookie("bm_session"))).status).toBe(204);
    expect((await bettor.client.get("/api/auth/me")).status).toBe(401);
  });
});
