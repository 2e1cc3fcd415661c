import { count } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, sessions, users } from "@/drizzle/schema";
import { ApiClient, signedIn } from "@/server/test-support/api-client";
import { connectTestDatabase } from "@/server/test-support/database";
import { discoverApiRoutes } from "@/server/test-support/routes";

const db = connectTestDatabase();

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

async function snapshot() {
  const [[u], [s], [a]] = await Promise.all([
    db.select({ n: count() }).from(users),
    db.select({ n: count() }).from(sessions),
    db.select({ n: count() }).from(auditLog),
  ]);
  return { users: u?.n, sessions: s?.n, audit: a?.n };
}

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
