"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import type { Wallet } from "@/server/wallet/get-wallet";
import { callApi, describeError } from "@/app/lib/browser-api";
import { formatMoney, parseMoney } from "@/app/lib/format";
import { newIdempotencyKey } from "@/app/lib/idempotency-key";
import { ActionMessage, type Outcome } from "./action-message";

/** A simulated payment: POST /api/wallet/deposits, then the new wallet. */
export function DepositForm({ currency }: { currency: string }) {
  const router = useRouter();
  const [amountText, setAmountText] = useState("");
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [isSending, setSending] = useState(false);
  // A retry of the same amount after an unanswered request reuses its key, so it cannot deposit twice.
  const pending = useRef<{ amount: number; key: string } | null>(null);

  async function deposit(event: FormEvent) {
    event.preventDefault();
    const amount = parseMoney(amountText);
    if (!amount) return setOutcome({ kind: "error", text: "Enter an amount like 50 or 12.50." });
    if (pending.current?.amount !== amount) pending.current = { amount, key: newIdempotencyKey() };
    setSending(true);
    const result = await callApi<{ deposit: { id: string; amount: number }; wallet: Wallet }>("POST", "/api/wallet/deposits", {
      amount,
      idempotencyKey: pending.current.key,
    });
    setSending(false);
    if (result.ok) {
      pending.current = null;
      setAmountText("");
      setOutcome({
        kind: "success",
        text: `Deposited ${formatMoney(result.data.deposit.amount, currency)}. Your balance is now ${formatMoney(result.data.wallet.balance, currency)}.`,
      });
      router.refresh();
      // The available balance follows through the outbox relay, usually within a second: show it once it lands.
      window.setTimeout(() => router.refresh(), 1500);
    } else {
      if (result.status > 0 && result.status < 500) pending.current = null; // refused: nothing was deposited
      setOutcome({ kind: "error", text: `Not deposited: ${describeError(result.error)}` });
    }
  }

  return (
    <form className="card deposit-form" onSubmit={deposit} aria-labelledby="deposit-title" noValidate>
      <h2 id="deposit-title">Deposit</h2>
      <p className="muted">A simulated payment: the money is credited at once.</p>
      <div className="field">
        <label htmlFor="deposit-amount">Amount ({currency})</label>
        <input
          id="deposit-amount"
          inputMode="decimal"
          autoComplete="off"
          placeholder="50.00"
          value={amountText}
          onChange={(e) => setAmountText(e.target.value)}
          disabled={isSending}
        />
      </div>
      <button type="submit" className="button" disabled={isSending}>
        {isSending ? "Depositing…" : "Deposit"}
      </button>
      <ActionMessage outcome={outcome} testId="deposit-outcome" />
    </form>
  );
}
