import { and, eq } from "drizzle-orm";
import { accounts, deposits, ledgerEntries } from "@/drizzle/schema";
import { AppError } from "@/server/errors";
import { enqueueOutbox } from "@/server/outbox/enqueue";
import { walletEvents } from "./events";
import type { Deps } from "@/server/deps";
import { checkDepositAllowed, lockBettor } from "./deposit-limits";
import { findCustomerAccount } from "./get-balance";

type DepositInput = { userId: string; amount: number; idempotencyKey: string; now?: Date };

/**
 * Credits a customer from the CASH account through the ledger, once per (user, idempotency key): a replay returns
 * the first deposit and moves no money; the same key with another amount is refused. With the bettor's row locked,
 * so the limit check and the deposit are one step per bettor: an excluded bettor is refused, and so is a deposit
 * over a deposit limit. The outbox carries the credit to the Redis wallet after commit.
 */
export async function recordDeposit({ db }: Pick<Deps, "db">, { now = new Date(), ...input }: DepositInput) {
  return db.transaction(async (tx) => {
    const { excludedUntil } = await lockBettor(tx, input.userId);
    const [existing] = await tx
      .select()
      .from(deposits)
      .where(and(eq(deposits.userId, input.userId), eq(deposits.idempotencyKey, input.idempotencyKey)));
    if (existing) {
      if (existing.amount !== input.amount) {
        throw new AppError("IDEMPOTENCY_KEY_REUSED", "This idempotency key was used for a different deposit.");
      }
      return { deposit: existing, isReplay: true };
    }
    await checkDepositAllowed(tx, { ...input, now, excludedUntil });
    const [inserted] = await tx
      .insert(deposits)
      .values({ ...input, createdAt: now })
      .returning();
    const customer = await findCustomerAccount(tx, input.userId);
    const [cash] = await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.kind, "CASH"));
    if (!inserted || !customer || !cash) throw new AppError("NOT_FOUND", "This user has no wallet.");
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
