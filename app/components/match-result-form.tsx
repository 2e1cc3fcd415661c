"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import type { MatchDto } from "@/server/catalog/match-root";
import { callApi, describeError } from "@/app/lib/browser-api";
import { ActionMessage, type Outcome } from "./action-message";

const VOID = "void";
const SCORE = "score";

/** What the form confirms: the winner's name, the score, or void. */
function recordedText(match: MatchDto): string {
  const result = match.result;
  if (result === null || "void" in result) return "void, every stake is returned at payout.";
  if ("score" in result) return `${match.home} ${result.score.home}-${result.score.away} ${match.away}.`;
  return `${match.markets.flatMap((m) => m.selections).find((s) => s.id === result.winnerSelectionId)?.name}.`;
}

/**
 * Records the result of a closed match: the final score (every market is settled from it), void, or, on a match
 * whose only market is the match result, its winner. The API accepts corrections until the payout.
 */
export function MatchResultForm({ match }: { match: MatchDto }) {
  const router = useRouter();
  // A winner decides the match result only: a match with more markets needs the score.
  const winners = match.markets.length === 1 ? match.markets[0]!.selections : [];
  const result = match.result;
  const current = result === null ? "" : "void" in result ? VOID : "score" in result ? SCORE : result.winnerSelectionId;
  const [choice, setChoice] = useState(current);
  const [score, setScore] = useState(result && "score" in result ? result.score : { home: 0, away: 0 });
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [isPending, setPending] = useState(false);
  const isUnchanged =
    choice === current &&
    (choice !== SCORE || (result !== null && "score" in result && result.score.home === score.home && result.score.away === score.away));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    const body = choice === VOID ? { void: true } : choice === SCORE ? { score } : { winnerSelectionId: choice };
    const response = await callApi<MatchDto>("POST", `/api/admin/matches/${match.id}/result`, body);
    setPending(false);
    if (response.ok) {
      setOutcome({ kind: "success", text: `Result recorded: ${recordedText(response.data)}` });
    } else {
      setOutcome({ kind: "error", text: `Not recorded: ${describeError(response.error)}` });
    }
    router.refresh();
  }

  return (
    <form onSubmit={submit} className="result-form">
      <fieldset disabled={isPending}>
        <legend>{match.result ? "Correct the result" : "Record the result"}</legend>
        <label className="choice">
          <input type="radio" name="result" value={SCORE} checked={choice === SCORE} onChange={() => setChoice(SCORE)} /> Final score
        </label>
        {choice === SCORE && (
          <div className="score-inputs">
            {(["home", "away"] as const).map((side) => (
              <label key={side}>
                {match[side]}
                <input
                  type="number"
                  min={0}
                  max={99}
                  required
                  value={score[side]}
                  onChange={(e) => setScore({ ...score, [side]: Number(e.target.value) })}
                  data-testid={`score-${side}`}
                />
              </label>
            ))}
          </div>
        )}
        {winners.map((s) => (
          <label key={s.id} className="choice">
            <input type="radio" name="result" value={s.id} checked={choice === s.id} onChange={() => setChoice(s.id)} /> {s.name}
          </label>
        ))}
        <label className="choice">
          <input type="radio" name="result" value={VOID} checked={choice === VOID} onChange={() => setChoice(VOID)} /> Void (every stake
          returned)
        </label>
      </fieldset>
      <button type="submit" className="button" disabled={isPending || choice === "" || isUnchanged}>
        {match.result ? "Correct result" : "Record result"}
      </button>
      <ActionMessage outcome={outcome} testId="result-outcome" />
    </form>
  );
}
