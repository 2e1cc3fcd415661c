import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bets } from "@/drizzle/schema";
import { parseOdds } from "@/server/odds.shared";
import { findPgError } from "@/server/errors";
import { fundedBettor, openMatch } from "@/test/support/betting";
import { connectTestDatabase } from "@/test/support/database";
import { recordLoggedBets } from "./record-bets";
import type { LoggedBet } from "./write-behind-log";

const db = connectTestDatabase();

/** The SQLSTATE a statement fails with, or "ok". */
const sqlState = (statement: PromiseLike<unknown>) =>
  Promise.resolve(statement).then(
    () => "ok",
    (error: unknown) => findPgError(error)?.code ?? String(error),
  );

class RolledBack extends Error {}

// A bet's user, selection and match are checked once per insert statement (drizzle/sql/bet_references.sql), not by
// per-row foreign keys: the same guarantee, SQLSTATE 23503 included (the flusher quarantines such an entry, I9).
describe("a bet's references (foreign keys, checked per statement)", () => {
  it("refuses a bet naming a user, selection or match that does not exist, and keeps the rows a bet names", async () => {
    const bettor = await fundedBettor(1_000);
    const match = await openMatch();
    const selection = match.markets[0]!.selections[1]!;
    const bet = (overrides: Partial<LoggedBet> = {}): LoggedBet => ({
      streamId: `${Date.now()}-${Math.floor(Math.random() * 1e9)}`,
      betId: randomUUID(),
      userId: bettor.id,
      selectionId: selection.id,
      matchId: match.id,
      stake: 100,
      odds: parseOdds(selection.odds),
      idempotencyKey: randomUUID(),
      legs: [],
      ...overrides,
    });
    const record = (...logged: LoggedBet[]) => sqlState(db.transaction((tx) => recordLoggedBets(tx, 0, logged)));
    expect(await record(bet({ userId: randomUUID() }))).toBe("23503");
    expect(await record(bet({ selectionId: randomUUID() }))).toBe("23503");
    expect(await record(bet({ matchId: randomUUID() }))).toBe("23503");
    // One bad bet among good ones refuses the whole statement; so does an accumulator leg (bet_legs keeps its keys).
    expect(await record(bet(), bet({ selectionId: randomUUID() }), bet())).toBe("23503");
    expect(
      await record(
        bet({ selectionId: null, matchId: null, odds: 1_000, legs: [{ selectionId: randomUUID(), matchId: match.id, odds: 200 }] }),
      ),
    ).toBe("23503");
    expect(await db.select().from(bets).where(eq(bets.userId, bettor.id))).toEqual([]);

    // With a bet recorded (in a transaction rolled back at the end), the rows it names cannot go or change.
    const refusals: Record<string, string> = {};
    await db
      .transaction(async (tx) => {
        const recorded = bet();
        expect(await recordLoggedBets(tx, 0, [recorded])).toBe(1);
        const attempt = async (name: string, statement: ReturnType<typeof sql>) => {
          refusals[name] = await sqlState(tx.transaction((sp) => sp.execute(statement)));
        };
        await attempt("delete selection", sql`delete from selections where id = ${selection.id}`);
        await attempt("delete match", sql`delete from matches where id = ${match.id}`);
        await attempt("delete user", sql`delete from users where id = ${bettor.id}`);
        await attempt("change selection id", sql`update selections set id = ${randomUUID()} where id = ${selection.id}`);
        await attempt("point the bet elsewhere", sql`update bets set selection_id = ${randomUUID()} where id = ${recorded.betId}`);
        await attempt("truncate selections", sql`truncate selections cascade`);
        throw new RolledBack();
      })
      .catch((error: unknown) => {
        if (!(error instanceof RolledBack)) throw error;
      });
    expect(refusals).toEqual({
      "delete selection": "23503",
      "delete match": "23503",
      "delete user": "23503",
      "change selection id": "23503",
      "point the bet elsewhere": "23503",
      "truncate selections": "23503",
    });
  });
});
