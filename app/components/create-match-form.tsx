"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import type { MatchDto } from "@/server/catalog/match-root";
import { callApi, describeError } from "@/app/lib/browser-api";
import { ActionMessage, type Outcome } from "./action-message";

const fields = [
  ["sport", "Sport", "Football"],
  ["competition", "Competition", "Premier League"],
  ["home", "Home team", ""],
  ["away", "Away team", ""],
] as const;

// The extra markets (API.md "Markets and results"): one is sent when any of its prices is filled in.
const extraMarkets = [
  {
    type: "TOTAL_GOALS",
    legend: "Total goals",
    prices: [
      ["over", "Over"],
      ["under", "Under"],
    ],
  },
  {
    type: "BOTH_TEAMS_TO_SCORE",
    legend: "Both teams to score",
    prices: [
      ["yes", "Yes"],
      ["no", "No"],
    ],
  },
  {
    type: "DOUBLE_CHANCE",
    legend: "Double chance",
    prices: [
      ["homeOrDraw", "Home or draw"],
      ["homeOrAway", "Home or away"],
      ["drawOrAway", "Draw or away"],
    ],
  },
] as const;

function extraMarketsOf(value: (name: string) => string) {
  return extraMarkets.flatMap(({ type, prices }) => {
    const odds = Object.fromEntries(prices.map(([key]) => [key, value(`${type}-${key}`)]));
    if (Object.values(odds).every((v) => v === "")) return [];
    return [{ type, odds, ...(type === "TOTAL_GOALS" ? { line: value("TOTAL_GOALS-line") } : {}) }];
  });
}

export function CreateMatchForm() {
  const router = useRouter();
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [created, setCreated] = useState<MatchDto | null>(null);
  const [isPending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? "");
    const startsAt = value("startsAt") ? new Date(value("startsAt")).toISOString() : "";
    setPending(true);
    const result = await callApi<MatchDto>("POST", "/api/admin/matches", {
      sport: value("sport"),
      competition: value("competition"),
      home: value("home"),
      away: value("away"),
      startsAt,
      odds: { home: value("oddsHome"), draw: value("oddsDraw"), away: value("oddsAway") },
      markets: extraMarketsOf(value),
    });
    setPending(false);
    if (result.ok) {
      setCreated(result.data);
      setOutcome({ kind: "success", text: `Created ${result.data.home} v ${result.data.away}, open for betting.` });
      router.refresh();
    } else {
      setCreated(null);
      setOutcome({ kind: "error", text: `Not created: ${describeError(result.error)}` });
    }
  }

  return (
    <form onSubmit={submit} className="card create-match" aria-labelledby="create-match-title">
      <h2 id="create-match-title">Create a match</h2>
      <div className="form-grid">
        {fields.map(([name, label, placeholder]) => (
          <div className="field" key={name}>
            <label htmlFor={`new-${name}`}>{label}</label>
            <input id={`new-${name}`} name={name} required placeholder={placeholder} />
          </div>
        ))}
        <div className="field">
          <label htmlFor="new-startsAt">Kick-off (your time)</label>
          <input id="new-startsAt" name="startsAt" type="datetime-local" required />
        </div>
        {(["Home", "Draw", "Away"] as const).map((side) => (
          <div className="field" key={side}>
            <label htmlFor={`new-odds${side}`}>{side} odds</label>
            <input id={`new-odds${side}`} name={`odds${side}`} required inputMode="decimal" placeholder="2.00" />
          </div>
        ))}
      </div>
      <details className="extra-markets">
        <summary>More markets (optional)</summary>
        {extraMarkets.map(({ type, legend, prices }) => (
          <fieldset key={type} className="form-grid">
            <legend>{legend}</legend>
            {type === "TOTAL_GOALS" && (
              <div className="field">
                <label htmlFor="new-TOTAL_GOALS-line">Line (goals)</label>
                <input id="new-TOTAL_GOALS-line" name="TOTAL_GOALS-line" defaultValue="2.5" inputMode="decimal" />
              </div>
            )}
            {prices.map(([key, label]) => (
              <div className="field" key={key}>
                <label htmlFor={`new-${type}-${key}`}>{label} odds</label>
                <input id={`new-${type}-${key}`} name={`${type}-${key}`} inputMode="decimal" placeholder="1.90" />
              </div>
            ))}
          </fieldset>
        ))}
      </details>
      <button type="submit" className="button" disabled={isPending}>
        Create match
      </button>
      <ActionMessage outcome={outcome} testId="create-outcome" />
      {created && <Link href={`/admin/matches/${created.id}`}>Edit its odds</Link>}
    </form>
  );
}
