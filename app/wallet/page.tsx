import { TableScroll } from "@/app/components/table-scroll";
import type { Metadata } from "next";
import Link from "next/link";
import { webDeps } from "@/server/deps";
import { AppError } from "@/server/errors";
import { getDepositLimits } from "@/server/wallet/deposit-limits";
import { getWallet } from "@/server/wallet/get-wallet";
import { listTransactions, type Transaction } from "@/server/wallet/list-transactions";
import { LIMIT_PERIODS } from "@/server/wallet/safer-gambling.shared";
import { BettorsOnly } from "@/app/components/bettors-only";
import { DepositLimitsForm } from "@/app/components/deposit-limits-form";
import { MoneyForm } from "@/app/components/money-form";
import { WalletFigures } from "@/app/components/wallet-figures";
import { formatMoney } from "@/app/lib/format";
import { LocalTime } from "@/app/components/local-time";
import { requireSignedInPage } from "@/app/lib/guard";

export const metadata: Metadata = { title: "Wallet" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 10;
const kindNames: Record<Transaction["kind"], string> = {
  DEPOSIT: "Deposit",
  WITHDRAWAL: "Withdrawal",
  STAKE: "Stake",
  STAKE_RETURN: "Stake returned",
  WINNINGS: "Winnings",
  CASH_OUT: "Cash out",
};

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function WalletPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireSignedInPage("/wallet");
  if (user.role !== "bettor") return <BettorsOnly what="The wallet" />;
  const { cursor } = await searchParams;
  const [wallet, { limits }] = await Promise.all([
    getWallet(webDeps(), { userId: user.id }),
    getDepositLimits(webDeps(), { userId: user.id }),
  ]);
  const page = await listTransactions(webDeps(), {
    userId: user.id,
    limit: PAGE_SIZE,
    cursor: typeof cursor === "string" ? cursor : undefined,
  }).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "VALIDATION_FAILED") return null; // a stale or edited link
    throw error;
  });
  const hasLimit = LIMIT_PERIODS.some((p) => limits[p] !== null);
  return (
    <>
      <h1 className="page-title">Wallet</h1>
      <WalletFigures wallet={wallet} />
      {!hasLimit && (
        <p className="card notice" data-testid="limit-prompt">
          Before you deposit, decide how much you can afford: <a href="#limits">set a deposit limit</a> per day, week or month. You can
          lower it at any time.
        </p>
      )}
      <div className="wallet-forms">
        <MoneyForm action="deposit" currency={wallet.currency} />
        <MoneyForm action="withdraw" currency={wallet.currency} />
        <DepositLimitsForm limits={limits} currency={wallet.currency} />
      </div>
      <p>
        Need time away? <Link href="/take-a-break">Take a break or exclude yourself</Link>.
      </p>
      <h2>Transactions</h2>
      {page === null ? (
        <p className="muted">
          That page link is not valid any more. <Link href="/wallet">Show the newest transactions</Link>.
        </p>
      ) : page.transactions.length === 0 ? (
        <p className="muted">No transactions yet.</p>
      ) : (
        <TableScroll label="Transactions">
          <table className="table" data-testid="transactions">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Amount</th>
                <th scope="col">Balance after</th>
                <th scope="col">Reference</th>
              </tr>
            </thead>
            <tbody>
              {page.transactions.map((t) => (
                <tr key={t.id} data-testid="transaction" data-kind={t.kind}>
                  <td>
                    <LocalTime iso={t.at} format="moment" />
                  </td>
                  <td>{kindNames[t.kind]}</td>
                  <td className="num">{formatMoney(t.amount, wallet.currency)}</td>
                  <td className="num">{formatMoney(t.balanceAfter, wallet.currency)}</td>
                  <td>
                    <code>{t.reference}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <nav className="pager" aria-label="Transaction pages">
        {typeof cursor === "string" && <Link href="/wallet">Newest</Link>}
        {page?.nextCursor && <Link href={`/wallet?cursor=${page.nextCursor}`}>Older</Link>}
      </nav>
    </>
  );
}
