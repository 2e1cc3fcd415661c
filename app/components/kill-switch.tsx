"use client";

import { useState } from "react";
import { callApi, describeError } from "@/app/lib/browser-api";
import { ActionMessage, successOutcome, type Outcome } from "./action-message";

/** The global kill switch: stops all bet acceptance at once, across every match. */
export function KillSwitch({ initiallySuspended }: { initiallySuspended: boolean }) {
  const [isSuspended, setSuspended] = useState(initiallySuspended);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [isPending, setPending] = useState(false);

  async function toggle() {
    setPending(true);
    const result = await callApi<{ suspended: boolean }>("POST", "/api/admin/betting", { suspended: !isSuspended });
    setPending(false);
    if (result.ok) {
      setSuspended(result.data.suspended);
      setOutcome(successOutcome(result.data, result.data.suspended ? "All betting is suspended." : "Betting is open again."));
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
      <button type="button" className={isSuspended ? "button" : "button button-danger"} onClick={toggle} disabled={isPending}>
        {isSuspended ? "Resume all betting" : "Suspend all betting"}
      </button>
      <ActionMessage outcome={outcome} testId="kill-switch-outcome" />
    </section>
  );
}
