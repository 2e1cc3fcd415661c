"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { LIMIT_PERIODS, type DepositLimits, type LimitPeriod } from "@/server/wallet/safer-gambling.shared";
import { callApi, describeError } from "@/app/lib/browser-api";
import { formatDateTime, formatMoney, parseMoney } from "@/app/lib/format";
import { ActionMessage, type Outcome } from "./action-message";

const periodNames: Record<LimitPeriod, string> = { daily: "Daily (24 hours)", weekly: "Weekly (7 days)", monthly: "Monthly (30 days)" };
const asText = (minor: number | undefined) => (minor === undefined ? "" : (minor / 100).toFixed(2));

/** PUT /api/wallet/limits: only the periods whose field changed are sent; an emptied field removes that limit. */
export function DepositLimitsForm({ limits, currency }: { limits: DepositLimits; currency: string }) {
  const router = useRouter();
  const initial = Object.fromEntries(LIMIT_PERIODS.map((p) => [p, asText(limits[p]?.amount)])) as Record<LimitPeriod, string>;
  const [texts, setTexts] = useState(initial);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [isSending, setSending] = useState(false);

  async function save(event: FormEvent) {
    event.preventDefault();
    const changes: Partial<Record<LimitPeriod, number | null>> = {};
    for (const period of LIMIT_PERIODS) {
      if (texts[period].trim() === initial[period]) continue;
      if (texts[period].trim() === "") {
        changes[period] = null;
        continue;
      }
      const amount = parseMoney(texts[period]);
      if (!amount)
        return setOutcome({ kind: "error", text: `${periodNames[period]}: enter an amount like 100 or 250.50, or leave it empty.` });
      changes[period] = amount;
    }
    if (Object.keys(changes).length === 0) return setOutcome({ kind: "error", text: "Nothing changed." });
    setSending(true);
    const result = await callApi<{ limits: DepositLimits }>("PUT", "/api/wallet/limits", changes);
    setSending(false);
    if (!result.ok) return setOutcome({ kind: "error", text: `Not saved: ${describeError(result.error)}` });
    const isWaiting = LIMIT_PERIODS.some((p) => changes[p] !== undefined && result.data.limits[p]?.pending);
    setOutcome({
      kind: "success",
      text: isWaiting
        ? "Saved. A lower limit applies now; a higher one or a removal only after 24 hours."
        : "Saved: your limits apply now.",
    });
    router.refresh();
  }

  return (
    <form className="card deposit-form" id="limits" onSubmit={save} aria-labelledby="limits-title" noValidate>
      <h2 id="limits-title">Deposit limits</h2>
      <p className="muted">A lower limit applies at once. Raising or removing one takes effect only after 24 hours.</p>
      {LIMIT_PERIODS.map((period) => {
        const limit = limits[period];
        return (
          <div className="field" key={period} data-testid={`limit-${period}`}>
            <label htmlFor={`limit-${period}`}>
              {periodNames[period]} limit ({currency})
            </label>
            <input
              id={`limit-${period}`}
              inputMode="decimal"
              autoComplete="off"
              placeholder="No limit"
              value={texts[period]}
              onChange={(e) => setTexts({ ...texts, [period]: e.target.value })}
              disabled={isSending}
            />
            {limit && (
              <p className="muted" data-testid={`limit-${period}-used`}>
                Deposited {formatMoney(limit.used, currency)} of {formatMoney(limit.amount, currency)}.
              </p>
            )}
            {limit?.pending && (
              <p className="muted" data-testid={`limit-${period}-pending`}>
                {limit.pending.amount === null ? "Being removed" : `Rising to ${formatMoney(limit.pending.amount, currency)}`} on{" "}
                {formatDateTime(limit.pending.effectiveAt)}.
              </p>
            )}
          </div>
        );
      })}
      <button type="submit" className="button" disabled={isSending}>
        {isSending ? "Saving…" : "Save limits"}
      </button>
      <ActionMessage outcome={outcome} testId="limits-outcome" />
    </form>
  );
}
