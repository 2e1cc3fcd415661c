import { and, eq } from "drizzle-orm";
import { accounts, deposits, ledgerEntries } from "@/drizzle/schema";
import { AppError } from "@/server/errors";
import { enqueueOutbox } from "@/server/outbox/enqueue";
import { walletEvents } from "./events";
import type { Deps } from "@/server/deps";
import { findCustomerAccount } from "./get-balance";

type DepositInput = { userId: string; amount: number; idempotencyKey: string };

/**
 * Credits a customer from the CASH account through the ledger, once per (user, idempotency key): a replay returns
 * the first deposit and moves no money; the same key with another amount is refused. The outbox carries the
 * credit to the Redis wallet after commit.
 */
export async function recordDeposit({ db }: Pick<Deps, "db">, input: DepositInput) {
  return db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(deposits)
      .values(input)
      .onConflictDoNothing({ target: [deposits.userId, deposits.idempotencyKey] })
      .returning();
    if (!inserted) {
      const [existing] = await tx
        .select()
        .from(deposits)
        .where(and(eq(deposits.userId, input.userId), eq(deposits.idempotencyKey, input.idempotencyKey)));
      if (!existing || existing.amount !== input.amount) {
        throw new AppError("IDEMPOTENCY_KEY_REUSED", "This idempotency key was used for a different deposit.");
      }
      return { deposit: existing, isReplay: true };
    }
    const customer = await findCustomerAccount(tx, input.userId);
    const [cash] = await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.kind, "CASH"));
    if (!customer || !cash) throw new AppError("NOT_FOUND", "This user has no wallet.");
    await tx.insert(ledgerEntries).values({
      kind: "DEPOSIT",
      reference: inserted.id,
      fromAccountId: cash.id,
      toAccountId: customer.id,
      amount: input.amount,
    });
    await enqueueOutbox(tx, walletEvents.walletCredited, input.userId, {
      userId: input.userId,
      amount: input.amount,
      entry: `DEPOSIT:${inserted.id}`,
    });
    return { deposit: inserted, isReplay: false };
  });
}
