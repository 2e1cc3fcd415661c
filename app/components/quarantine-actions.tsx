"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi, describeError } from "@/app/lib/browser-api";
import { ActionMessage, type Outcome } from "./action-message";

type Props = { partition: number; streamId: string; isBet: boolean; resolution: "RECORDED" | "REFUNDED" | null };

/** Record or refund one quarantined log entry, with an explicit outcome; once resolved, how. */
export function QuarantineActions({ partition, streamId, isBet, resolution }: Props) {
  const router = useRouter();
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [isPending, setPending] = useState(false);

  async function resolve(action: "record" | "refund") {
    setPending(true);
    const result = await callApi("POST", `/api/admin/write-behind/quarantine/${partition}/${streamId}`, { action });
    setPending(false);
    setOutcome(
      result.ok
        ? {
            kind: "success",
            text:
              action === "record"
                ? "Recorded in PostgreSQL."
                : isBet
                  ? "Refunded: the stake is available to the bettor again."
                  : "Dismissed.",
          }
        : { kind: "error", text: `Not resolved: ${describeError(result.error)}` },
    );
    router.refresh();
  }

  const message = <ActionMessage outcome={outcome} testId={`quarantine-outcome-${partition}-${streamId}`} />;
  if (resolution) {
    return (
      <div>
        <strong>{resolution === "RECORDED" ? "Recorded" : isBet ? "Refunded" : "Dismissed"}</strong>
        {message}
      </div>
    );
  }
  return (
    <div className="actions">
      <button type="button" className="button" disabled={isPending} onClick={() => resolve("record")}>
        Record it
      </button>
      <button
        type="button"
        className="button button-warn"
        disabled={isPending}
        onClick={() => window.confirm("Give up on this entry for good?") && resolve("refund")}
      >
        {isBet ? "Refund the stake" : "Dismiss"}
      </button>
      {message}
    </div>
  );
}
