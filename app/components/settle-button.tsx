"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi, describeError } from "@/app/lib/browser-api";
import { ActionMessage, type Outcome } from "./action-message";

/** Queues the payout job; the page shows the job's progress (it refreshes itself while the job runs). */
export function SettleButton({
  matchId,
  isRunning,
  blockedBecause,
}: {
  matchId: string;
  isRunning: boolean;
  blockedBecause: string | null;
}) {
  const router = useRouter();
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [isPending, setPending] = useState(false);

  async function settle() {
    if (!window.confirm("Pay out this match now? Every bet is settled against the recorded result, for good.")) return;
    setPending(true);
    const result = await callApi<{ jobId: string }>("POST", `/api/admin/matches/${matchId}/settle`);
    setPending(false);
    setOutcome(
      result.ok
        ? { kind: "success", text: `Payout queued as job ${result.data.jobId}.` }
        : { kind: "error", text: `Not settled: ${describeError(result.error)}` },
    );
    router.refresh();
  }

  return (
    <div className="actions">
      <button
        type="button"
        className="button button-warn"
        disabled={isPending || isRunning || blockedBecause !== null}
        aria-describedby={blockedBecause ? "settle-blocked" : undefined}
        onClick={settle}
      >
        Settle (pay out)
      </button>
      {blockedBecause && (
        <span id="settle-blocked" className="muted" data-testid="settle-blocked">
          {blockedBecause}
        </span>
      )}
      <ActionMessage outcome={outcome} testId="settle-outcome" />
    </div>
  );
}
