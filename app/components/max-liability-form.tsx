"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import type { MatchDto } from "@/server/catalog/match-root";
import { callApi, describeError } from "@/app/lib/browser-api";
import { formatMoney, parseMoney } from "@/app/lib/format";
import { ActionMessage, type Outcome } from "./action-message";

/** Sets the match's liability cap, sending the version the trader saw: a stale change is refused, never applied. */
export function MaxLiabilityForm({ match, effectiveCap }: { match: MatchDto; effectiveCap: number }) {
  const router = useRouter();
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [isPending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const maxLiability = parseMoney(String(new FormData(event.currentTarget).get("maxLiability") ?? ""));
    if (maxLiability === null) return setOutcome({ kind: "error", text: "Enter an amount, like 25000 or 25000.00." });
    setPending(true);
    const result = await callApi<MatchDto>("PATCH", `/api/admin/matches/${match.id}`, { maxLiability, expectedVersion: match.version });
    setPending(false);
    setOutcome(
      result.ok
        ? { kind: "success", text: `Cap set to ${formatMoney(maxLiability)}: bets are checked against it from now on.` }
        : { kind: "error", text: `Not changed: ${describeError(result.error)}` },
    );
    router.refresh();
  }

  return (
    <form onSubmit={submit} className="card" aria-labelledby="cap-title">
      <h2 id="cap-title">Liability cap</h2>
      <p className="muted">
        Now {formatMoney(effectiveCap)} per selection{match.maxLiability === null ? " (the default)" : ""}.
      </p>
      <div className="inline-form">
        <label htmlFor="max-liability">New cap</label>
        <input id="max-liability" name="maxLiability" inputMode="decimal" required disabled={isPending} />
        <button type="submit" className="button button-small" disabled={isPending}>
          Set cap
        </button>
      </div>
      <ActionMessage outcome={outcome} testId="cap-outcome" />
    </form>
  );
}
