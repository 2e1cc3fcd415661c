"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import type { MatchDto } from "@/server/catalog/match-root";
import { callApi, describeError } from "@/app/lib/browser-api";
import { ActionMessage, successOutcome, type Outcome } from "./action-message";
import { VoidMarketButton } from "./void-market-button";

type Selection = MatchDto["markets"][number]["selections"][number];

/** Inline price editing: each save sends the version the staff member saw; a stale one is refused, never applied. */
export function OddsGrid({ match }: { match: MatchDto }) {
  return (
    <div className="odds-grid">
      {match.markets.map((market) => (
        <section key={market.id} aria-label={market.name} className="card">
          <h2>
            {market.name}{" "}
            <span className="muted">
              ({market.voided ? "void" : match.status === "CLOSED" ? "closed: read only" : market.status.toLowerCase()})
            </span>
          </h2>
          {!market.voided && match.settlementState !== "SETTLED" && <VoidMarketButton market={market} />}
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Selection</th>
                <th scope="col">Odds</th>
                <th scope="col">Version</th>
                <th scope="col">
                  <span className="sr-only">Result</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {market.selections.map((selection) =>
                match.status === "CLOSED" ? (
                  <ClosedOddsRow key={selection.id} selection={selection} />
                ) : (
                  <OddsRow key={selection.id} selection={selection} />
                ),
              )}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}

/** A closed match's prices are history: shown, not editable. */
function ClosedOddsRow({ selection }: { selection: Selection }) {
  return (
    <tr data-testid="odds-row" data-selection-id={selection.id}>
      <th scope="row">{selection.name}</th>
      <td className="odds-readonly">{selection.odds}</td>
      <td data-testid="odds-version">{selection.version}</td>
      <td />
    </tr>
  );
}

function OddsRow({ selection }: { selection: Selection }) {
  const router = useRouter();
  const [seen, setSeen] = useState(selection);
  const [odds, setOdds] = useState(selection.odds);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [isSaving, setSaving] = useState(false);

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaving(true);
    const result = await callApi<{ selection: Selection }>("PATCH", `/api/admin/selections/${seen.id}`, {
      odds,
      expectedVersion: seen.version,
    });
    setSaving(false);
    if (result.ok) {
      setSeen(result.data.selection);
      setOdds(result.data.selection.odds);
      setOutcome(successOutcome(result.data, `Saved: ${seen.odds} → ${result.data.selection.odds}.`));
      router.refresh();
    } else if (result.error.code === "VERSION_CONFLICT") {
      const current = result.error.current as Selection;
      setSeen(current);
      setOutcome({ kind: "error", text: `Not saved: someone else changed this price to ${current.odds}. Review it and save again.` });
    } else {
      setOutcome({ kind: "error", text: `Not saved: ${describeError(result.error)}` });
    }
  }

  const inputId = `odds-${seen.id}`;
  return (
    <tr data-testid="odds-row" data-selection-id={seen.id}>
      <th scope="row">
        <label htmlFor={inputId}>{seen.name}</label>
      </th>
      <td>
        <form onSubmit={save} className="inline-form">
          <input
            id={inputId}
            className="odds-input"
            inputMode="decimal"
            value={odds}
            onChange={(e) => setOdds(e.target.value)}
            disabled={isSaving}
            aria-describedby={`${inputId}-outcome`}
          />
          <button type="submit" className="button button-small" disabled={isSaving || odds === seen.odds}>
            Save
          </button>
        </form>
      </td>
      <td data-testid="odds-version">{seen.version}</td>
      <td id={`${inputId}-outcome`}>
        <ActionMessage outcome={outcome} />
      </td>
    </tr>
  );
}
