import { and, eq, sql } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { accounts, ledgerEntries } from "@/drizzle/schema";
import { newBettor } from "@/test/support/api-client";
import { connectTestDatabase } from "@/test/support/database";
import { findPgError } from "@/server/errors";
import { recordDeposit } from "./record-deposit";

const db = connectTestDatabase();

/** The SQLSTATE a statement fails with, or "ok". */
const sqlState = (statement: PromiseLike<unknown>) =>
  Promise.resolve(statement).then(
    () => "ok",
    (error: unknown) => findPgError(error)?.code ?? String(error),
  );

async function customerAccount(userId: string) {
  const [account] = await db
    .select()
    .from(accounts)
    .where(and(eq(accounts.userId, userId), eq(accounts.kind, "CUSTOMER")));
  return account!;
}

async function houseAccount(kind: "CASH" | "STAKES" | "HOUSE") {
  const [account] = await db.select().from(accounts).where(eq(accounts.kind, kind));
  return account!;
}

describe("ledger constraints (I5, I6)", () => {
  it("a deposit moves money from CASH to the customer once per idempotency key", async () => {
    const { id } = await newBettor();
    const first = await recordDeposit({ db }, { userId: id, amount: 2_500, idempotencyKey: "k1" });
    const replay = await recordDeposit({ db }, { userId: id, amount: 2_500, idempotencyKey: "k1" });
    expect(replay.isReplay).toBe(true);
    expect(replay.deposit.id).toBe(first.deposit.id);
    expect((await customerAccount(id)).balance).toBe(2_500);
    await expect(recordDeposit({ db }, { userId: id, amount: 9_999, idempotencyKey: "k1" })).rejects.toMatchObject({
      code: "IDEMPOTENCY_KEY_REUSED",
    });
  });

  it("refuses any entry that would take a customer balance below zero", async () => {
    const { id } = await newBettor();
    await recordDeposit({ db }, { userId: id, amount: 1_000, idempotencyKey: "seed" });
    const customer = await customerAccount(id);
    const stakes = await houseAccount("STAKES");
    const overdraw = db
      .insert(ledgerEntries)
      .values({ kind: "STAKE", reference: `overdraw-${id}`, fromAccountId: customer.id, toAccountId: stakes.id, amount: 1_001 });
    await expect(overdraw).rejects.toThrow();
    expect((await customerAccount(id)).balance).toBe(1_000);
  });

  it("keeps the ledger append-only and balances changeable only through entries", async () => {
    await expect(db.execute(sql`update ledger_entries set amount = amount + 1`)).rejects.toThrow();
    await expect(db.execute(sql`delete from ledger_entries`)).rejects.toThrow();
    const cash = await houseAccount("CASH");
    await expect(db.update(accounts).set({ balance: 1 }).where(eq(accounts.id, cash.id))).rejects.toThrow();
  });

  it("refuses an entry naming an account that does not exist, and deleting, renaming or truncating an account (23503)", async () => {
    // Checked once per statement by the ledger's trigger, not by per-row foreign keys: the same guarantee.
    const { id } = await newBettor();
    await recordDeposit({ db }, { userId: id, amount: 300, idempotencyKey: "seed" });
    const customer = await customerAccount(id);
    const stakes = await houseAccount("STAKES");
    const entry = (from: string, to: string) => ({
      kind: "STAKE" as const,
      reference: `ghost-${randomUUID()}`,
      fromAccountId: from,
      toAccountId: to,
      amount: 1,
    });
    expect(await sqlState(db.insert(ledgerEntries).values(entry(customer.id, randomUUID())))).toBe("23503");
    expect(await sqlState(db.insert(ledgerEntries).values(entry(randomUUID(), stakes.id)))).toBe("23503");
    // One missing account among many valid entries refuses the whole statement.
    expect(await sqlState(db.insert(ledgerEntries).values([entry(customer.id, stakes.id), entry(customer.id, randomUUID())]))).toBe(
      "23503",
    );
    expect((await customerAccount(id)).balance).toBe(300);

    expect(await sqlState(db.delete(accounts).where(eq(accounts.id, customer.id)))).toBe("23503");
    expect(await sqlState(db.update(accounts).set({ id: randomUUID() }).where(eq(accounts.id, stakes.id)))).toBe("23503");
    // In a transaction rolled back whatever happens: were TRUNCATE let through, every account would be gone.
    let truncate: string | undefined;
    await db
      .transaction(async (tx) => {
        truncate = await sqlState(tx.execute(sql`truncate accounts`));
        tx.rollback();
      })
      .catch(() => {});
    expect(truncate).toBe("23503");
    expect(await customerAccount(id)).toMatchObject({ id: customer.id, balance: 300 });
  });

  it("refuses the same movement twice (kind + reference are unique)", async () => {
    const { id } = await newBettor();
    await recordDeposit({ db }, { userId: id, amount: 500, idempotencyKey: "once" });
    const customer = await customerAccount(id);
    const stakes = await houseAccount("STAKES");
    const entry = { kind: "STAKE" as const, reference: `bet-${id}`, fromAccountId: customer.id, toAccountId: stakes.id, amount: 100 };
    await db.insert(ledgerEntries).values(entry);
    await expect(db.insert(ledgerEntries).values(entry)).rejects.toThrow();
    expect((await customerAccount(id)).balance).toBe(400);
    // This stake has no bet behind it: return it, so the books stay whole for the lifecycle tests' I6 checks
    // (stakes in flight = recorded bets, Redis wallet = PostgreSQL balance).
    await db.insert(ledgerEntries).values({ ...entry, kind: "STAKE_RETURN", fromAccountId: stakes.id, toAccountId: customer.id });
    expect((await customerAccount(id)).balance).toBe(500);
  });

  it("conserves money: balances sum to zero, each equals its entries, deposits - withdrawals = customers + stakes + house", async () => {
    const [totals] = await db.execute<{ sum: string }>(sql`select coalesce(sum(balance), 0)::text as sum from accounts`);
    expect(totals?.sum).toBe("0");
    const mismatched = await db.execute(sql`
      select a.id from accounts a
      where a.balance <> coalesce((select sum(amount) from ledger_entries where to_account_id = a.id), 0)
                      - coalesce((select sum(amount) from ledger_entries where from_account_id = a.id), 0)`);
    expect(mismatched).toHaveLength(0);
    const [money] = await db.execute<{ deposits: string; withdrawals: string; held: string }>(sql`
      select (select coalesce(sum(amount), 0) from ledger_entries where kind = 'DEPOSIT')::text as deposits,
             (select coalesce(sum(amount), 0) from ledger_entries where kind = 'WITHDRAWAL')::text as withdrawals,
             (select coalesce(sum(balance), 0) from accounts where kind in ('CUSTOMER', 'STAKES', 'HOUSE'))::text as held`);
    expect(BigInt(money!.deposits) - BigInt(money!.withdrawals)).toBe(BigInt(money!.held));
  });
});
