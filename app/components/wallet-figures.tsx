import type { Wallet } from "@/server/wallet/get-wallet";
import { formatMoney } from "@/app/lib/format";

// The three numbers of GET /api/wallet, in a bettor's words.
export function WalletFigures({ wallet }: { wallet: Wallet }) {
  return (
    <dl className="stats wallet-figures" data-testid="wallet">
      <div className="stat">
        <dt>Available to bet</dt>
        <dd data-testid="wallet-available">{formatMoney(wallet.available, wallet.currency)}</dd>
      </div>
      <div className="stat">
        <dt>Balance</dt>
        <dd data-testid="wallet-balance">{formatMoney(wallet.balance, wallet.currency)}</dd>
      </div>
      <div className="stat">
        <dt>Stakes of bets just placed</dt>
        <dd data-testid="wallet-pending">{formatMoney(wallet.pendingStakes, wallet.currency)}</dd>
        <dd className="stat-note">Set aside already; taken from the balance within moments.</dd>
      </div>
    </dl>
  );
}
