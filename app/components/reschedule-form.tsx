"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import type { MatchDto } from "@/server/catalog/match-root";
import { callApi, describeError } from "@/app/lib/browser-api";
import { formatKickoff } from "@/app/lib/format";
import { ActionMessage, type Outcome } from "./action-message";

/** Moves the kick-off, sending the match version the staff member saw: a stale move is refused, never applied. */
export function RescheduleForm({ match }: { match: MatchDto }) {
  const router = useRouter();
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [isPending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const local = String(new FormData(event.currentTarget).get("startsAt") ?? "");
    setPending(true);
    // datetime-local has no zone: the browser reads it in the staff member's time, as the create form does.
    const result = await callApi<MatchDto>("PATCH", `/api/admin/matches/${match.id}`, {
      startsAt: local ? new Date(local).toISOString() : "",
      expectedVersion: match.version,
    });
    setPending(false);
    if (result.ok) {
      setOutcome({ kind: "success", text: `Kick-off moved to ${formatKickoff(result.data.startsAt)}; betting closes automatically then.` });
    } else if (result.error.code === "VERSION_CONFLICT") {
      const current = result.error.current as { version: number; startsAt: string };
      setOutcome({
        kind: "error",
        text: `Not moved: someone else changed this match (now version ${current.version}, kick-off ${formatKickoff(current.startsAt)}). Review it and try again.`,
      });
    } else {
      setOutcome({ kind: "error", text: `Not moved: ${describeError(result.error)}` });
    }
    // Either way the page shows the match as it is now, so the next try sends the current version.
    router.refresh();
  }

  return (
    <form onSubmit={submit} className="card kick-off" aria-labelledby="kick-off-title">
      <h2 id="kick-off-title">Kick-off</h2>
      <p className="muted">Now {formatKickoff(match.startsAt)}. Betting closes by itself at kick-off.</p>
      <div className="inline-form">
        <label htmlFor="kick-off-at">New kick-off (your time)</label>
        <input id="kick-off-at" name="startsAt" type="datetime-local" required disabled={isPending} />
        <button type="submit" className="button button-small" disabled={isPending}>
          Move kick-off
        </button>
      </div>
      <ActionMessage outcome={outcome} testId="reschedule-outcome" />
    </form>
  );
}
