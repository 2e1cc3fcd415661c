import type { Metadata } from "next";
import { getConfig } from "@/server/config";
import { getDb } from "@/server/platform/db";
import { getRedis } from "@/server/platform/redis";
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
  const wallet = await getWallet(getDb(), getRedis(), getConfig().WRITE_BEHIND_PARTITIONS, user.id);
  return (
    <>
      <h1 className="page-title">Wallet</h1>
      <WalletFigures wallet={wallet} />
      <DepositForm currency={wallet.currency} />
    </>
  );
}
