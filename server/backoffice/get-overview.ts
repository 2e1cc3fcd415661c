import { count, eq, sql } from "drizzle-orm";
import { accounts, matches, users } from "@/drizzle/schema";
import type { Deps } from "@/server/deps";

/** The back office's landing numbers: matches by status, bettors, and money held for customers. */
export async function getOverview({ db }: Pick<Deps, "db">) {
  const [byStatus, [bettors], [held]] = await Promise.all([
    db.select({ status: matches.status, total: count() }).from(matches).groupBy(matches.status),
    db.select({ total: count() }).from(users).where(eq(users.role, "bettor")),
    db
      .select({ total: sql<string>`coalesce(sum(${accounts.balance}), 0)` })
      .from(accounts)
      .where(eq(accounts.kind, "CUSTOMER")),
  ]);
  return {
    matchesByStatus: Object.fromEntries(byStatus.map((r) => [r.status, r.total])) as Partial<Record<string, number>>,
    bettors: bettors?.total ?? 0,
    customerBalances: Number(held?.total ?? 0),
  };
}
