import { randomUUID } from "node:crypto";
import { inArray, sql } from "drizzle-orm";
import { bets } from "@/drizzle/schema";
import { waitFor } from "@/scripts/lib/run";
import type { MatchDto } from "@/server/catalog/load-matches";
import type { Database } from "@/server/platform/db";
import { newBettor, signedIn, type ApiClient } from "./api-client";

let staff: Promise<ApiClient> | undefined;
export const staffClient = () => (staff ??= signedIn("staff@example.com"));

/** A fresh bettor with `amount` deposited, once the deposit has reached their Redis wallet. */
export async function fundedBettor(amount: number) {
  const bettor = await newBettor();
  if (amount > 0) {
    const res = await bettor.client.post("/api/wallet/deposits", { amount, idempotencyKey: randomUUID() });
    if (res.status !== 201) throw new Error(`deposit failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  await waitFor("the deposit in the Redis wallet", async () => (await bettor.client.get("/api/wallet")).body.available === amount, 15_000);
  return bettor;
}

/** A new open match of its own (so tests never share prices or status), once bets can be placed on it. */
export async function openMatch(odds = { home: "2.10", draw: "3.40", away: "3.60" }): Promise<MatchDto> {
  const admin = await staffClient();
  const res = await admin.post("/api/admin/matches", {
    sport: "Football",
    competition: "Test League",
    home: `Home ${randomUUID().slice(0, 6)}`,
    away: `Away ${randomUUID().slice(0, 6)}`,
    startsAt: new Date(Date.now() + 86_400_000).toISOString(),
    odds,
  });
  if (res.status !== 201) throw new Error(`create match failed: ${res.status} ${JSON.stringify(res.body)}`);
  const match = res.body as MatchDto;
  // The relay copies the new match into the live state; an unfunded bettor's bet reaching the balance check
  // (INSUFFICIENT_FUNDS rather than NOT_FOUND) shows it is there.
  const probe = await newBettor();
  const selectionId = match.markets[0]!.selections[0]!.id;
  await waitFor(
    "the new match in the live state",
    async () => (await probe.client.post("/api/bets", betBody(selectionId, 100, match.markets[0]!.selections[0]!.odds))).body?.error?.code === "INSUFFICIENT_FUNDS",
    15_000,
  );
  return match;
}

export function betBody(selectionId: string, stake: number, odds: string, extra: { idempotencyKey?: string; acceptOddsChanges?: "none" | "higher" | "any" } = {}) {
  return { selectionId, stake, odds, idempotencyKey: extra.idempotencyKey ?? randomUUID(), ...(extra.acceptOddsChanges ? { acceptOddsChanges: extra.acceptOddsChanges } : {}) };
}

/** Waits until every bet id is in PostgreSQL; returns their rows. */
export async function waitUntilRecorded(db: Database, ids: string[], timeoutMs = 60_000) {
  if (ids.length === 0) return [];
  await waitFor(
    `${ids.length} bets in PostgreSQL`,
    async () => {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(bets).where(inArray(bets.id, ids));
      return row!.n === ids.length;
    },
    timeoutMs,
  );
  return db.select().from(bets).where(inArray(bets.id, ids));
}
