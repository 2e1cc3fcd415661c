"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import type { Bet } from "@/server/betting/bets.shared";
import { callApi, describeError } from "@/app/lib/browser-api";
import { formatMoney } from "@/app/lib/format";
import { newIdempotencyKey } from "@/app/lib/idempotency-key";

// The offer follows the live odds: read again every few seconds while the page is open.
const OFFER_REFRESH_MS = 5_000;

/** Cash out at the offer shown; a moved offer is shown with a one-click accept of the new amount. */
export function CashOutButton({ betId, offer }: { betId: string; offer: number }) {
  const router = useRouter();
  const [amount, setAmount] = useState<number | null>(offer);
  const [message, setMessage] = useState<string | null>(null);
  const [isPending, setPending] = useState(false);
  const key = useRef(newIdempotencyKey());

  useEffect(() => {
    const timer = window.setInterval(async () => {
      const result = await callApi<Bet>("GET", `/api/bets/${betId}`);
      if (result.ok && !isPending) setAmount(result.data.cashOut?.amount ?? null);
    }, OFFER_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [betId, isPending]);

  async function cashOut() {
    if (amount === null) return;
    setPending(true);
    const result = await callApi<{ bet: Bet }>("POST", `/api/bets/${betId}/cash-out`, { amount, idempotencyKey: key.current });
    setPending(false);
    if (result.ok) return router.refresh();
    key.current = newIdempotencyKey(); // a refused request changed nothing: the next one is a new request
    const current = (result.error as { currentAmount?: number }).currentAmount;
    if (result.error.code === "CASH_OUT_CHANGED" && current !== undefined) {
      setAmount(current);
      setMessage(`The offer moved to ${formatMoney(current)}.`);
    } else {
      setAmount(null);
      setMessage(describeError(result.error));
    }
  }

  return (
    <div className="cash-out" data-testid="cash-out">
      {amount !== null && (
        <button type="button" className="button" disabled={isPending} onClick={cashOut}>
          {message ? "Accept and cash out" : "Cash out"} {formatMoney(amount)}
        </button>
      )}
      {message && (
        <p role="status" className="muted">
          {message}
        </p>
      )}
    </div>
  );
}
