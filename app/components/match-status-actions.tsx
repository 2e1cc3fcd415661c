"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { MatchDto } from "@/server/catalog/match-root";
import { callApi, describeError } from "@/app/lib/browser-api";
import { ActionMessage, successOutcome, type Outcome } from "./action-message";

const successText = {
  suspend: "Match suspended: no bets are accepted.",
  resume: "Match open for betting.",
  close: "Betting closed in every partition. The match turns complete once every earlier bet is recorded.",
} as const;

export function MatchStatusActions({ match }: { match: MatchDto }) {
  const router = useRouter();
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [isPending, setPending] = useState(false);

  async function run(action: keyof typeof successText) {
    setPending(true);
    const result = await callApi<MatchDto>("POST", `/api/admin/matches/${match.id}/${action}`);
    setPending(false);
    setOutcome(
      result.ok ? successOutcome(result.data, successText[action]) : { kind: "error", text: `Not done: ${describeError(result.error)}` },
    );
    router.refresh();
  }

  return (
    <div className="actions">
      {match.status === "OPEN" && (
        <button type="button" className="button button-warn" disabled={isPending} onClick={() => run("suspend")}>
          Suspend betting
        </button>
      )}
      {(match.status === "SUSPENDED" || match.status === "SCHEDULED") && (
        <button type="button" className="button" disabled={isPending} onClick={() => run("resume")}>
          {match.status === "SCHEDULED" ? "Open betting" : "Resume betting"}
        </button>
      )}
      {match.status !== "CLOSED" && (
        <button
          type="button"
          className="button button-warn"
          disabled={isPending}
          onClick={() => window.confirm("Close betting on this match for good?") && run("close")}
        >
          Close betting
        </button>
      )}
      <ActionMessage outcome={outcome} testId="status-outcome" />
    </div>
  );
}
