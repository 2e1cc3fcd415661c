"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { MatchDto } from "@/server/catalog/match-root";
import { callApi, describeError } from "@/app/lib/browser-api";
import { ActionMessage, successOutcome, type Outcome } from "./action-message";

/** Abandons one market: no more bets on it, and the payout returns its stakes whatever the score. Final. */
export function VoidMarketButton({ market }: { market: MatchDto["markets"][number] }) {
  const router = useRouter();
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [isPending, setPending] = useState(false);

  async function voidMarket() {
    if (!window.confirm(`Void "${market.name}" for good? Its bets will get their stakes back at payout.`)) return;
    setPending(true);
    const result = await callApi<MatchDto>("POST", `/api/admin/markets/${market.id}/void`);
    setPending(false);
    setOutcome(
      result.ok
        ? successOutcome(result.data, `${market.name} is void: no more bets, stakes returned at payout.`)
        : { kind: "error", text: `Not voided: ${describeError(result.error)}` },
    );
    router.refresh();
  }

  return (
    <div className="actions">
      <button type="button" className="button button-warn" disabled={isPending} onClick={voidMarket}>
        Void this market
      </button>
      <ActionMessage outcome={outcome} testId="void-market-outcome" />
    </div>
  );
}
