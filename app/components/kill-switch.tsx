"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { callApi, describeError } from "@/app/lib/browser-api";
import { ActionMessage, successOutcome, type Outcome } from "./action-message";

/**
 * The global kill switch: stops all bet acceptance at once, across every match. One press asks for a reason
 * (kept in the audit log) and a confirmation; the back-office header shows the state after it.
 */
export function KillSwitch({ initiallySuspended }: { initiallySuspended: boolean }) {
  const router = useRouter();
  const [isSuspended, setSuspended] = useState(initiallySuspended);
  const [isConfirming, setConfirming] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [isPending, setPending] = useState(false);
  const verb = isSuspended ? "Resume" : "Suspend";

  async function toggle(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget).get("reason") ?? "").trim();
    setPending(true);
    const result = await callApi<{ suspended: boolean }>("POST", "/api/admin/betting", { suspended: !isSuspended, reason });
    setPending(false);
    if (result.ok) {
      setSuspended(result.data.suspended);
      setConfirming(false);
      setOutcome(successOutcome(result.data, result.data.suspended ? "All betting is suspended." : "Betting is open again."));
      router.refresh(); // the header's betting state
    } else {
      setOutcome({ kind: "error", text: `Not changed: ${describeError(result.error)}` });
    }
  }

  return (
    <section className="card kill-switch" aria-labelledby="kill-switch-title">
      <h2 id="kill-switch-title">Betting</h2>
      <p data-testid="betting-state">
        {isSuspended ? "Suspended everywhere: no bet is accepted." : "Open: bets are accepted on open matches."}
      </p>
      {isConfirming ? (
        <form onSubmit={toggle} className="confirm-panel">
          <div className="field">
            <label htmlFor="kill-switch-reason">Reason (kept in the audit log)</label>
            <input id="kill-switch-reason" name="reason" required maxLength={200} autoFocus autoComplete="off" />
          </div>
          <div className="actions">
            <button type="submit" className={isSuspended ? "button" : "button button-danger"} disabled={isPending}>
              {verb} all betting now
            </button>
            <button type="button" className="button button-plain" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <button
          type="button"
          className={isSuspended ? "button" : "button button-danger"}
          onClick={() => {
            setOutcome(null);
            setConfirming(true);
          }}
        >
          {verb} all betting…
        </button>
      )}
      <ActionMessage outcome={outcome} testId="kill-switch-outcome" />
    </section>
  );
}
