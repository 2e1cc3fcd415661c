import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "@/drizzle/schema";
import { ApiClient, DEMO_PASSWORD, newBettor, uniqueEmail } from "@/test/support/api-client";
import { connectTestDatabase } from "@/test/support/database";
import { discoverApiRoutes, isStateChanging } from "@/test/support/routes";

const db = connectTestDatabase();
const foreign = { origin: "http://evil.example" };

describe("cross-site requests (S3)", () => {
  const stateChanging = discoverApiRoutes().filter((r) => isStateChanging(r.method));

  it("finds the state-changing routes to check", () => {
    expect(stateChanging.map((r) => r.path)).toEqual(expect.arrayContaining(["/api/auth/login", "/api/auth/register", "/api/auth/logout"]));
  });

  for (const route of stateChanging) {
    it(`${route.method} ${route.path} from another origin is 403 CSRF, even when signed in`, async () => {
      const { client } = await newBettor();
      const res = await client.request(route.method, route.path, { json: {}, headers: foreign });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe("CSRF");
    });
  }

  it("changes nothing: no account is created and no session is opened", async () => {
    const email = uniqueEmail();
    const client = new ApiClient();
    expect((await client.post("/api/auth/register", { email, password: DEMO_PASSWORD }, foreign)).status).toBe(403);
    expect(await db.select().from(users).where(eq(users.email, email))).toHaveLength(0);

    const login = await client.post("/api/auth/login", { email: "alice@example.com", password: DEMO_PASSWORD }, foreign);
    expect(login.status).toBe(403);
    expect(login.headers.get("set-cookie")).toBeNull();
  });

  it("does not log a user out from another site", async () => {
    const { client } = await newBettor();
    expect((await client.post("/api/auth/logout", undefined, { "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await client.get("/api/auth/me")).status).toBe(200);
  });

  it("accepts the same request from the app's own origin", async () => {
    const client = new ApiClient();
    const res = await client.post(
      "/api/auth/register",
      { email: uniqueEmail(), password: DEMO_PASSWORD },
      { origin: new URL(client.baseUrl).origin },
    );
    expect(res.status).toBe(201);
  });
});
