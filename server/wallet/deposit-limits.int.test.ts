import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deposits } from "@/drizzle/schema";
import { newBettor } from "@/test/support/api-client";
import { connectTestDatabase } from "@/test/support/database";
import { getDepositLimits, setDepositLimits } from "./deposit-limits";
import { recordDeposit } from "./record-deposit";

const db = connectTestDatabase();
const HOUR = 3600_000;
const at = (start: Date, ms: number) => new Date(start.getTime() + ms);
const deposit = (userId: string, amount: number, now: Date) => recordDeposit({ db }, { userId, amount, idempotencyKey: randomUUID(), now });

describe("deposit limits (I15)", () => {
  it("count the deposits of the last 24 hours: refused up to the window's end, allowed from it", async () => {
    const { id } = await newBettor();
    const t0 = new Date(Date.now() - 48 * HOUR);
    await setDepositLimits({ db }, { userId: id, changes: { daily: 10_000 }, now: t0 });
    await deposit(id, 6_000, t0);
    await deposit(id, 4_000, at(t0, HOUR));
    // One millisecond before the first deposit leaves the window: nothing is left.
    await expect(deposit(id, 1, at(t0, 24 * HOUR - 1))).rejects.toMatchObject({
      code: "DEPOSIT_LIMIT_EXCEEDED",
      details: { remaining: 0 },
    });
    // From the moment it leaves, its 60.00 are free again, and no more.
    await expect(deposit(id, 6_001, at(t0, 24 * HOUR))).rejects.toMatchObject({ details: { remaining: 6_000 } });
    await deposit(id, 6_000, at(t0, 24 * HOUR));
    const { limits } = await getDepositLimits({ db }, { userId: id, now: at(t0, 24 * HOUR) });
    expect(limits).toEqual({ daily: { amount: 10_000, used: 10_000, pending: null }, weekly: null, monthly: null });
  });

  it("apply the tightest limit in force, weekly and monthly windows included", async () => {
    const { id } = await newBettor();
    const t0 = new Date(Date.now() - 40 * 24 * HOUR);
    await setDepositLimits({ db }, { userId: id, changes: { daily: 5_000, weekly: 8_000, monthly: 9_000 }, now: t0 });
    await deposit(id, 5_000, t0);
    await expect(deposit(id, 3_001, at(t0, 2 * 24 * HOUR))).rejects.toMatchObject({ details: { remaining: 3_000 } }); // weekly
    await deposit(id, 3_000, at(t0, 2 * 24 * HOUR));
    await expect(deposit(id, 1_001, at(t0, 8 * 24 * HOUR))).rejects.toMatchObject({ details: { remaining: 1_000 } }); // monthly
    await deposit(id, 5_000, at(t0, 30 * 24 * HOUR)); // the first deposit left the 30 days
  });

  it("two concurrent deposits cannot both squeeze under what is left", async () => {
    const { id } = await newBettor();
    await setDepositLimits({ db }, { userId: id, changes: { daily: 10_000 } });
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => deposit(id, 4_000, new Date())));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    for (const r of results.filter((r) => r.status === "rejected")) expect(r.reason).toMatchObject({ code: "DEPOSIT_LIMIT_EXCEEDED" });
    expect((await db.select().from(deposits).where(eq(deposits.userId, id))).reduce((sum, d) => sum + d.amount, 0)).toBe(8_000);
  });

  it("a decrease applies at once; a raise or a removal only after 24 hours, shown as pending meanwhile", async () => {
    const { id } = await newBettor();
    const t0 = new Date();
    await setDepositLimits({ db }, { userId: id, changes: { daily: 5_000, weekly: 20_000 }, now: t0 });
    const lowered = await setDepositLimits({ db }, { userId: id, changes: { daily: 3_000 }, now: at(t0, 1_000) });
    expect(lowered.limits.daily).toEqual({ amount: 3_000, used: 0, pending: null });

    const t1 = at(t0, 2_000);
    const raised = await setDepositLimits({ db }, { userId: id, changes: { daily: 9_000, weekly: null }, now: t1 });
    const effectiveAt = at(t1, 24 * HOUR).toISOString();
    expect(raised.limits).toMatchObject({
      daily: { amount: 3_000, pending: { amount: 9_000, effectiveAt } },
      weekly: { amount: 20_000, pending: { amount: null, effectiveAt } },
    });
    // Asking again does not restart the wait.
    const again = await setDepositLimits({ db }, { userId: id, changes: { daily: 9_000 }, now: at(t1, HOUR) });
    expect(again.limits.daily?.pending?.effectiveAt).toBe(effectiveAt);
    await expect(deposit(id, 3_001, at(t1, 24 * HOUR - 1))).rejects.toMatchObject({ code: "DEPOSIT_LIMIT_EXCEEDED" });
    const later = await getDepositLimits({ db }, { userId: id, now: at(t1, 24 * HOUR) });
    expect(later.limits).toEqual({ daily: { amount: 9_000, used: 0, pending: null }, weekly: null, monthly: null });
  });

  it("over HTTP: GET and PUT /api/wallet/limits, and a deposit over the limit is 422 with remaining", async () => {
    const { client } = await newBettor();
    expect((await client.get("/api/wallet/limits")).body).toEqual({ limits: { daily: null, weekly: null, monthly: null } });
    const set = await client.request("PUT", "/api/wallet/limits", { json: { daily: 2_000 } });
    expect(set.status).toBe(200);
    expect(set.body.limits.daily).toEqual({ amount: 2_000, used: 0, pending: null });
    expect((await client.post("/api/wallet/deposits", { amount: 1_500, idempotencyKey: randomUUID() })).status).toBe(201);
    const over = await client.post("/api/wallet/deposits", { amount: 501, idempotencyKey: randomUUID() });
    expect(over.status).toBe(422);
    expect(over.body.error).toMatchObject({ code: "DEPOSIT_LIMIT_EXCEEDED", remaining: 500 });
    for (const bad of [{}, { daily: 0 }, { daily: 1.5 }, { daily: "10" }, { hourly: 5 }]) {
      const refused = await client.request("PUT", "/api/wallet/limits", { json: bad });
      expect(refused.status, JSON.stringify(bad)).toBe(400);
      expect(refused.body.error.code).toBe("VALIDATION_FAILED");
    }
  });
});
