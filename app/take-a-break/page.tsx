import type { Metadata } from "next";
import { BettorsOnly } from "@/app/components/bettors-only";
import { ExclusionForm } from "@/app/components/exclusion-form";
import { requireSignedInPage } from "@/app/lib/guard";

export const metadata: Metadata = { title: "Take a break" };
export const dynamic = "force-dynamic";

export default async function TakeABreakPage() {
  const user = await requireSignedInPage("/take-a-break");
  if (user.role !== "bettor") return <BettorsOnly what="Taking a break" />;
  return (
    <>
      <h1 className="page-title">Take a break</h1>
      <ExclusionForm />
    </>
  );
}
