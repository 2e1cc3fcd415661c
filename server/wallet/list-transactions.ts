import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Deps } from "@/server/deps";
import { AppError } from "@/server/errors";
import { decodeIdCursor, encodeIdCursor } from "@/server/platform/id-cursor";
import { findCustomerAccount } from "./get-balance";

/** The kinds of movement a bettor sees (API.md); the house's own entries (STAKE_LOST) never touch their account. */
export const TRANSACTION_KINDS = ["DEPOSIT", "WITHDRAWAL", "STAKE", "STAKE_RETURN", "WINNINGS", "CASH_OUT"] as const;

export type Transaction = {
  id: string;
  kind: (typeof TRANSACTION_KINDS)[number];
  /** Signed: positive into the bettor's balance, negative out of it. */
  amount: number;
  balanceAfter: number;
  reference: string;
  at: string;
};

export const listTransactionsSchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

/**
 * GET /api/wallet/transactions: every movement of the bettor's PostgreSQL balance, newest first, each with the
 * balance after it. One statement, so the balance and the entries are one snapshot: the balance after an entry is
 * the balance now less every later entry (only the entries newer than the page are summed, not the whole history).
 * Stakes appear once the flusher has written their bets (until then GET /api/wallet shows them as pending).
 */
export async function listTransactions(
  { db }: Pick<Deps, "db">,
  { userId, limit, cursor }: { userId: string } & z.output<typeof listTransactionsSchema>,
): Promise<{ transactions: Transaction[]; nextCursor: string | null }> {
  const account = await findCustomerAccount(db, userId);
  if (!account) throw new AppError("NOT_FOUND", "This user has no wallet.");
  const before = cursor ? decodeIdCursor(cursor) : null;
  const rows = await db.execute<{
    id: string;
    kind: Transaction["kind"];
    delta: string;
    reference: string;
    at: Date;
    balance_after: string;
  }>(sql`
    with mine as (
      select id, kind, reference, created_at,
        case when to_account_id = ${account.id} then amount else -amount end as delta
      from ledger_entries
      where from_account_id = ${account.id} or to_account_id = ${account.id}
    ),
    newer as (select coalesce(sum(delta), 0) as total from mine where ${before}::bigint is not null and id >= ${before}::bigint),
    page as (
      select * from mine where ${before}::bigint is null or id < ${before}::bigint order by id desc limit ${limit + 1}
    )
    select page.id::text, page.kind, page.delta::text, page.reference, page.created_at as at,
      (a.balance - newer.total - coalesce(sum(page.delta) over (order by page.id desc rows between unbounded preceding and 1 preceding), 0))::text
        as balance_after
    from page, newer, accounts a
    where a.id = ${account.id}
    order by page.id desc`);
  const transactions = rows.slice(0, limit).map((r) => ({
    id: r.id,
    kind: r.kind,
    amount: Number(r.delta),
    balanceAfter: Number(r.balance_after),
    reference: r.reference,
    at: new Date(r.at).toISOString(),
  }));
  return { transactions, nextCursor: rows.length > limit ? encodeIdCursor(transactions.at(-1)!.id) : null };
}
