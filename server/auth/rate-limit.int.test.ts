import { describe, expect, it } from "vitest";
import { ApiClient, DEMO_PASSWORD, newBettor, uniqueEmail } from "@/server/test-support/api-client";

// Defaults of server/config.ts; the test stack runs with them.
const MAX_FAILURES_PER_ACCOUNT = 5;
const MAX_ATTEMPTS_PER_IP = 30;

describe("login rate limits (S4)", () => {
  it("locks an account after repeated failures, from any address, even for the right password", async () => {
    const { email } = await newBettor();
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      const res = await new ApiClient().post("/api/auth/login", { email, password: "wrong-password" });
      expect(res.status).toBe(401);
    }
    const locked = await new ApiClient().post("/api/auth/login", { email, password: DEMO_PASSWORD });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe("RATE_LIMITED");
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(locked.headers.get("set-cookie")).toBeNull();
  });

  it("a successful login clears the account's failures", async () => {
    const { email } = await newBettor();
    const client = new ApiClient();
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT - 1; i++) await client.post("/api/auth/login", { email, password: "wrong-password" });
    expect((await client.post("/api/auth/login", { email, password: DEMO_PASSWORD })).status).toBe(200);
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT - 1; i++) await client.post("/api/auth/login", { email, password: "wrong-password" });
    expect((await client.post("/api/auth/login", { email, password: DEMO_PASSWORD })).status).toBe(200);
  });

  it("limits attempts from one address across many accounts, without blocking other addresses", async () => {
    const attacker = new ApiClient();
    const statuses: number[] = [];
    for (let i = 0; i <= MAX_ATTEMPTS_PER_IP; i++) {
      statuses.push((await attacker.post("/api/auth/login", { email: uniqueEmail(), password: "guess-guess" })).status);
    }
    expect(statuses.slice(0, MAX_ATTEMPTS_PER_IP).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);

    const { email } = await newBettor();
    expect((await attacker.post("/api/auth/login", { email, password: DEMO_PASSWORD })).status).toBe(429);
    expect((await new ApiClient().post("/api/auth/login", { email, password: DEMO_PASSWORD })).status).toBe(200);
  });
});
