import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sessions, users } from "@/drizzle/schema";
import { ApiClient, DEMO_PASSWORD, newBettor, signedIn, uniqueEmail } from "@/test/support/api-client";
import { connectTestDatabase } from "@/test/support/database";
import { DEVICE_COOKIE } from "./login-devices";
import { SESSION_COOKIE } from "./sessions";

const db = connectTestDatabase();

describe("accounts and sessions", () => {
  it("registers a bettor, signs them in with an HttpOnly SameSite cookie, and knows who they are", async () => {
    const client = new ApiClient();
    const email = uniqueEmail();
    const res = await client.post("/api/auth/register", { email: email.toUpperCase(), password: DEMO_PASSWORD });
    expect(res.status).toBe(201);
    expect(res.body.user).toEqual({ id: expect.any(String), email, role: "bettor" });
    const setCookie = res.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=lax/i);
    expect((await client.get("/api/auth/me")).body.user.email).toBe(email);
  });

  it("refuses a second account with the same email, whatever its case", async () => {
    const { email } = await newBettor();
    const res = await new ApiClient().post("/api/auth/register", { email: email.toUpperCase(), password: "another-password" });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("EMAIL_TAKEN");
  });

  it("stores an argon2id hash, never the password, and only a hash of the session token (S5)", async () => {
    const { client, email, id } = await newBettor();
    const [user] = await db.select().from(users).where(eq(users.email, email));
    expect(user?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user?.passwordHash).not.toContain(DEMO_PASSWORD);
    const token = client.cookie(SESSION_COOKIE)!;
    const stored = await db.select().from(sessions).where(eq(sessions.userId, id));
    expect(stored).toHaveLength(1);
    expect(stored[0]?.tokenHash).not.toBe(token);
    expect(stored[0]?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("rejects a wrong password with BAD_CREDENTIALS, the same as an unknown email", async () => {
    const { email } = await newBettor();
    const wrong = await new ApiClient().post("/api/auth/login", { email, password: "wrong-password" });
    const unknown = await new ApiClient().post("/api/auth/login", { email: uniqueEmail(), password: "wrong-password" });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("BAD_CREDENTIALS");
      expect(res.headers.get("set-cookie")).toBeNull();
    }
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });

  it("issues a new session id at every login and retires the one the browser had", async () => {
    const { client, email } = await newBettor();
    const before = client.cookie(SESSION_COOKIE)!;
    expect((await client.post("/api/auth/login", { email, password: DEMO_PASSWORD })).status).toBe(200);
    const after = client.cookie(SESSION_COOKIE)!;
    expect(after).not.toBe(before);
    const stale = new ApiClient();
    stale.setCookie(SESSION_COOKIE, before);
    expect((await stale.get("/api/auth/me")).status).toBe(401);
  });

  it("revokes the session at logout, so a copied cookie stops working (S5)", async () => {
    const { client } = await newBettor();
    const copy = new ApiClient();
    copy.setCookie(SESSION_COOKIE, client.cookie(SESSION_COOKIE)!);
    expect((await copy.get("/api/auth/me")).status).toBe(200);
    const res = await client.post("/api/auth/logout");
    expect(res.status).toBe(204);
    expect(client.cookie(SESSION_COOKIE)).toBeUndefined();
    const me = await copy.get("/api/auth/me");
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe("UNAUTHENTICATED");
  });

  it("gives a browser that signed in a device cookie: HttpOnly, SameSite=Strict, sent to /api/auth only, new at every login", async () => {
    const { client, email } = await newBettor();
    const registered = client.cookie(DEVICE_COOKIE);
    const res = await client.post("/api/auth/login", { email, password: DEMO_PASSWORD });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${DEVICE_COOKIE}=`)) ?? "";
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=strict/i);
    expect(cookie).toMatch(/Path=\/api\/auth(;|$)/i);
    expect(cookie).toMatch(/Expires=/i);
    expect(client.cookie(DEVICE_COOKIE)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(client.cookie(DEVICE_COOKIE)).not.toBe(registered);
  });

  it("refuses passwords over 128 characters at registration and login, on the password field", async () => {
    const email = uniqueEmail();
    for (const path of ["/api/auth/register", "/api/auth/login"]) {
      const res = await new ApiClient().post(path, { email, password: "p".repeat(129) });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
      expect(res.body.error.issues).toEqual([{ path: "password", message: "Password must be at most 128 characters." }]);
    }
    const longest = "p".repeat(128);
    expect((await new ApiClient().post("/api/auth/register", { email, password: longest })).status).toBe(201);
    expect((await new ApiClient().post("/api/auth/login", { email, password: longest })).status).toBe(200);
  });

  it("signs in the seeded staff member with the staff role", async () => {
    const staff = await signedIn("staff@example.com");
    expect((await staff.get("/api/auth/me")).body.user).toMatchObject({ email: "staff@example.com", role: "staff" });
  });
});
