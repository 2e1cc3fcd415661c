import type { Metadata } from "next";
import { webDeps } from "@/server/deps";
import { getWallet } from "@/server/wallet/get-wallet";
import { BettorsOnly } from "@/app/components/bettors-only";
import { DepositForm } from "@/app/components/deposit-form";
import { WalletFigures } from "@/app/components/wallet-figures";
import { requireSignedInPage } from "@/app/lib/guard";

export const metadata: Metadata = { title: "Wallet" };
export const dynamic = "force-dynamic";

export default async function WalletPage() {
  const user = await requireSignedInPage("/wallet");
  if (user.role !== "bettor") return <BettorsOnly what="The wallet" />;
  const wallet = await getWallet(webDeps(), { userId: user.id });
  return (
    <>
      <h1 className="page-title">Wallet</h1>
      <WalletFigures wallet={wallet} />
      <DepositForm currency={wallet.currency} />
    </>
  );
}
