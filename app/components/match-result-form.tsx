"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import type { MatchDto } from "@/server/catalog/match-root";
import { callApi, describeError } from "@/app/lib/browser-api";
import { ActionMessage, type Outcome } from "./action-message";

const VOID = "void";

/** Records the winner (or void) of a closed match; the API accepts corrections until the payout. */
export function MatchResultForm({ match }: { match: MatchDto }) {
  const router = useRouter();
  const selections = match.markets.flatMap((m) => m.selections);
  const current = match.result === null ? "" : "void" in match.result ? VOID : match.result.winnerSelectionId;
  const [choice, setChoice] = useState(current);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [isPending, setPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    const body = choice === VOID ? { void: true } : { winnerSelectionId: choice };
    const result = await callApi<MatchDto>("POST", `/api/admin/matches/${match.id}/result`, body);
    setPending(false);
    if (result.ok) {
      const name = selections.find((s) => s.id === choice)?.name;
      setOutcome({
        kind: "success",
        text: name ? `Result recorded: ${name}.` : "Result recorded: void, every stake is returned at payout.",
      });
    } else {
      setOutcome({ kind: "error", text: `Not recorded: ${describeError(result.error)}` });
    }
    router.refresh();
  }

  return (
    <form onSubmit={submit} className="result-form">
      <fieldset disabled={isPending}>
        <legend>{match.result ? "Correct the result" : "Record the result"}</legend>
        {selections.map((s) => (
          <label key={s.id} className="choice">
            <input type="radio" name="result" value={s.id} checked={choice === s.id} onChange={() => setChoice(s.id)} /> {s.name}
          </label>
        ))}
        <label className="choice">
          <input type="radio" name="result" value={VOID} checked={choice === VOID} onChange={() => setChoice(VOID)} /> Void (every stake
          returned)
        </label>
      </fieldset>
      <button type="submit" className="button" disabled={isPending || choice === "" || choice === current}>
        {match.result ? "Correct result" : "Record result"}
      </button>
      <ActionMessage outcome={outcome} testId="result-outcome" />
    </form>
  );
}
