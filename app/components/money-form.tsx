"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import type { Wallet } from "@/server/wallet/get-wallet";
import { callApi, describeError, type ApiError } from "@/app/lib/browser-api";
import { formatMoney, parseMoney } from "@/app/lib/format";
import { newIdempotencyKey } from "@/app/lib/idempotency-key";
import { ActionMessage, type Outcome } from "./action-message";

const copy = {
  deposit: {
    title: "Deposit",
    label: "Amount",
    note: "A simulated payment: the money is credited at once.",
    endpoint: "/api/wallet/deposits",
    submit: ["Deposit", "Depositing…"],
    done: "Deposited",
    refused: "Not deposited",
  },
  withdraw: {
    title: "Withdraw",
    label: "Amount to withdraw",
    note: "Paid out to you (simulated) from what is available to bet; stakes being recorded stay reserved.",
    endpoint: "/api/wallet/withdrawals",
    submit: ["Withdraw", "Withdrawing…"],
    done: "Withdrew",
    refused: "Not withdrawn",
  },
} as const;

/** Why a deposit or withdrawal was refused, with the amount that would have been allowed. */
function refusal(error: ApiError, currency: string): string {
  if (error.code === "DEPOSIT_LIMIT_EXCEEDED" && typeof error.remaining === "number")
    return `${error.message} You can deposit up to ${formatMoney(error.remaining, currency)} for now.`;
  if (error.code === "INSUFFICIENT_FUNDS" && typeof error.available === "number")
    return `${error.message} Available: ${formatMoney(error.available, currency)}.`;
  return describeError(error);
}

/** A simulated payment in or out: POST /api/wallet/deposits or /api/wallet/withdrawals, then the new wallet. */
export function MoneyForm({ action, currency }: { action: keyof typeof copy; currency: string }) {
  const text = copy[action];
  const router = useRouter();
  const [amountText, setAmountText] = useState("");
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [isSending, setSending] = useState(false);
  // A retry of the same amount after an unanswered request reuses its key, so it cannot move the money twice.
  const pending = useRef<{ amount: number; key: string } | null>(null);

  async function send(event: FormEvent) {
    event.preventDefault();
    const amount = parseMoney(amountText);
    if (!amount) return setOutcome({ kind: "error", text: "Enter an amount like 50 or 12.50." });
    if (pending.current?.amount !== amount) pending.current = { amount, key: newIdempotencyKey() };
    setSending(true);
    const result = await callApi<{ wallet: Wallet }>("POST", text.endpoint, { amount, idempotencyKey: pending.current.key });
    setSending(false);
    if (result.ok) {
      pending.current = null;
      setAmountText("");
      setOutcome({
        kind: "success",
        text: `${text.done} ${formatMoney(amount, currency)}. Your balance is now ${formatMoney(result.data.wallet.balance, currency)}.`,
      });
      router.refresh();
      // A deposit reaches the available balance through the outbox relay, usually within a second: show it once it lands.
      if (action === "deposit") window.setTimeout(() => router.refresh(), 1500);
    } else {
      if (result.status > 0 && result.status < 500) pending.current = null; // refused: nothing moved
      setOutcome({ kind: "error", text: `${text.refused}: ${refusal(result.error, currency)}` });
    }
  }

  return (
    <form className="card deposit-form" onSubmit={send} aria-labelledby={`${action}-title`} noValidate>
      <h2 id={`${action}-title`}>{text.title}</h2>
      <p className="muted">{text.note}</p>
      <div className="field">
        <label htmlFor={`${action}-amount`}>
          {text.label} ({currency})
        </label>
        <input
          id={`${action}-amount`}
          inputMode="decimal"
          autoComplete="off"
          placeholder="50.00"
          value={amountText}
          onChange={(e) => setAmountText(e.target.value)}
          disabled={isSending}
        />
      </div>
      <button type="submit" className="button" disabled={isSending}>
        {isSending ? text.submit[1] : text.submit[0]}
      </button>
      <ActionMessage outcome={outcome} testId={`${action}-outcome`} />
    </form>
  );
}
