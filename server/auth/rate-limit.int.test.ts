import { describe, expect, it } from "vitest";
import { ApiClient, DEMO_PASSWORD, newBettor, postFrom, uniqueEmail, uniqueLoopbackAddress } from "@/test/support/api-client";
import { startWebInstances } from "@/test/support/web-instances";

// Defaults of server/config.ts; the test stack runs with them (and TRUSTED_PROXY_HOPS=1: ApiClient plays the proxy).
const MAX_FAILURES_PER_CLIENT = 5;
const MAX_FAILURES_PER_ACCOUNT = 50;
const MAX_ATTEMPTS_PER_IP = 30;

const wrong = { password: "wrong-password" };

function expectRateLimited(res: { status: number; body: any; headers: Headers }) {
  expect(res.status).toBe(429);
  expect(res.body.error.code).toBe("RATE_LIMITED");
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(res.headers.get("set-cookie")).toBeNull();
}

describe("login rate limits (S4)", () => {
  it("throttles an account after repeated failures from many addresses, even for the right password, in browsers it never signed in from", async () => {
    const { email } = await newBettor();
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      const res = await new ApiClient().post("/api/auth/login", { email, ...wrong });
      expect(res.status).toBe(401);
    }
    expectRateLimited(await new ApiClient().post("/api/auth/login", { email, password: DEMO_PASSWORD }));
  });

  it("a stranger's failures from many addresses never lock the owner out of a browser they signed in from", async () => {
    const { client: owner, email } = await newBettor(); // registering signs this browser in: it holds a device cookie
    expect(owner.cookie("bm_device")).toBeTruthy();
    await owner.post("/api/auth/logout");
    for (let i = 0; i <= MAX_FAILURES_PER_ACCOUNT; i++) await new ApiClient().post("/api/auth/login", { email, ...wrong });
    expectRateLimited(await new ApiClient().post("/api/auth/login", { email, password: DEMO_PASSWORD }));

    // The owner's own mistakes count against their browser only, and signing in works.
    expect((await owner.post("/api/auth/login", { email, ...wrong })).status).toBe(401);
    const res = await owner.post("/api/auth/login", { email, password: DEMO_PASSWORD });
    expect(res.status).toBe(200);
    expect((await owner.get("/api/auth/me")).body.user.email).toBe(email);
  });

  it("throttles a guesser per account and address, leaving the owner and the guesser's other accounts alone", async () => {
    const { email } = await newBettor();
    const stranger = () => new ApiClient(undefined, "203.0.113.77");
    for (let i = 0; i < MAX_FAILURES_PER_CLIENT; i++)
      expect((await stranger().post("/api/auth/login", { email, ...wrong })).status).toBe(401);
    expectRateLimited(await stranger().post("/api/auth/login", { email, ...wrong }));
    expectRateLimited(await stranger().post("/api/auth/login", { email, password: DEMO_PASSWORD }));

    // Another address, with no device cookie: the account itself is not locked.
    expect((await new ApiClient().post("/api/auth/login", { email, password: DEMO_PASSWORD })).status).toBe(200);
    const other = await newBettor();
    expect((await stranger().post("/api/auth/login", { email: other.email, ...wrong })).status).toBe(401);
  });

  it("a trusted browser is throttled on its own after repeated failures", async () => {
    const { client: owner, email } = await newBettor();
    for (let i = 0; i < MAX_FAILURES_PER_CLIENT; i++) expect((await owner.post("/api/auth/login", { email, ...wrong })).status).toBe(401);
    expectRateLimited(await owner.post("/api/auth/login", { email, password: DEMO_PASSWORD }));
    expect((await new ApiClient().post("/api/auth/login", { email, password: DEMO_PASSWORD })).status).toBe(200);
  });

  it("a successful login clears the client's failures", async () => {
    const { email } = await newBettor();
    const sameAddress = () => new ApiClient(undefined, "203.0.113.78"); // no device cookie: limited per address
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < MAX_FAILURES_PER_CLIENT - 1; i++) await sameAddress().post("/api/auth/login", { email, ...wrong });
      expect((await sameAddress().post("/api/auth/login", { email, password: DEMO_PASSWORD })).status).toBe(200);
    }
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

  it(
    "with the default config (no proxy), a client's rotating X-Forwarded-For does not escape the per-address limit",
    { timeout: 120_000 },
    async () => {
      const { urls } = await startWebInstances(1, 3260); // TRUSTED_PROXY_HOPS unset: 0
      const login = `${urls[0]}/api/auth/login`;
      const attacker = uniqueLoopbackAddress();
      const statuses: number[] = [];
      for (let i = 0; i <= MAX_ATTEMPTS_PER_IP; i++) {
        const forged = { "x-forwarded-for": `203.0.${i}.${i + 1}, 198.51.100.${i + 1}` };
        statuses.push((await postFrom(attacker, login, { email: uniqueEmail(), password: "guess-guess" }, forged)).status);
      }
      expect(statuses.slice(0, MAX_ATTEMPTS_PER_IP).every((s) => s === 401)).toBe(true);
      expect(statuses.at(-1)).toBe(429);
      // The limit is the socket address's: another one is not affected.
      expect((await postFrom(uniqueLoopbackAddress(), login, { email: uniqueEmail(), password: "guess-guess" })).status).toBe(401);
    },
  );
});
