"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { EXCLUSION_DAYS } from "@/server/wallet/safer-gambling.shared";
import { callApi, describeError } from "@/app/lib/browser-api";
import { ActionMessage, type Outcome } from "./action-message";

const lengths: Record<(typeof EXCLUSION_DAYS)[number], string> = {
  1: "24 hours",
  7: "One week",
  30: "One month",
  180: "Six months",
  365: "One year",
  1825: "Five years",
};

/** POST /api/account/exclusion; the bettor is signed out everywhere, this browser included. */
export function ExclusionForm() {
  const router = useRouter();
  const [days, setDays] = useState<(typeof EXCLUSION_DAYS)[number]>(1);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [isSending, setSending] = useState(false);

  async function exclude(event: FormEvent) {
    event.preventDefault();
    setSending(true);
    const result = await callApi<{ excludedUntil: string }>("POST", "/api/account/exclusion", { days });
    setSending(false);
    if (!result.ok) return setOutcome({ kind: "error", text: `Not done: ${describeError(result.error)}` });
    // Signed out everywhere, this browser included: the sign-in page says until when, header and all refreshed.
    router.replace(`/login?excludedUntil=${encodeURIComponent(result.data.excludedUntil)}`);
    router.refresh();
  }

  return (
    <form className="card deposit-form" onSubmit={exclude} aria-labelledby="exclusion-title" noValidate>
      <h2 id="exclusion-title">Take a break</h2>
      <p className="muted">
        For the time you choose you cannot sign in, bet or deposit, and it cannot be undone early. Bets you have already placed are still
        settled and paid.
      </p>
      <div className="field">
        <label htmlFor="exclusion-days">How long</label>
        <select
          id="exclusion-days"
          value={days}
          onChange={(e) => setDays(Number(e.target.value) as (typeof EXCLUSION_DAYS)[number])}
          disabled={isSending}
        >
          {EXCLUSION_DAYS.map((d) => (
            <option key={d} value={d}>
              {lengths[d]}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button" disabled={isSending}>
        {isSending ? "Please wait…" : "Exclude me"}
      </button>
      <ActionMessage outcome={outcome} testId="exclusion-outcome" />
    </form>
  );
}
