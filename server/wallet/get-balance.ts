import { and, eq } from "drizzle-orm";
import { accounts } from "@/drizzle/schema";
import type { Deps } from "@/server/deps";
import type { DbOrTx } from "@/server/platform/db";

/** A bettor's customer account; undefined for users without a wallet (staff). */
export async function findCustomerAccount(db: DbOrTx, userId: string) {
  const [account] = await db
    .select()
    .from(accounts)
    .where(and(eq(accounts.userId, userId), eq(accounts.kind, "CUSTOMER")))
    .limit(1);
  return account;
}

/** The customer's balance as recorded in PostgreSQL, in minor units; null for users without a wallet (staff). */
export async function getBalance(
  { db }: Pick<Deps, "db">,
  { userId }: { userId: string },
): Promise<{ balance: number; currency: string } | null> {
  const account = await findCustomerAccount(db, userId);
  return account ? { balance: account.balance, currency: account.currency } : null;
}
