"use client";

import Link from "next/link";
import { ODDS_CHANGE_PREFERENCES, parseOdds, type Bet, type OddsChangePreference } from "@/server/betting/bets.shared";
import type { ApiError } from "@/app/lib/browser-api";
import { betWords } from "@/app/lib/bet-words";
import { formatMoney } from "@/app/lib/format";
import { Odds } from "./odds";

// Pieces the slip's singles and its accumulator both show.

const preferenceLabels: Record<OddsChangePreference, string> = {
  none: "Ask me when the odds change",
  higher: "Accept higher odds automatically",
  any: "Accept any odds change",
};

export function PreferenceField({ value, onChange }: { value: OddsChangePreference; onChange: (value: OddsChangePreference) => void }) {
  return (
    <div className="field">
      <label htmlFor="odds-preference">When the odds change</label>
      <select id="odds-preference" value={value} onChange={(e) => onChange(e.target.value as OddsChangePreference)}>
        {ODDS_CHANGE_PREFERENCES.map((p) => (
          <option key={p} value={p}>
            {preferenceLabels[p]}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The price Place takes; when it moved since the bettor chose it, the old one struck through beside it. */
export function LineOdds({ view }: { view: { line: { odds: string }; odds: string; hasMoved: boolean } }) {
  const direction = parseOdds(view.odds) > parseOdds(view.line.odds) ? "up" : "down";
  return (
    <p className="slip-odds">
      Odds{" "}
      {view.hasMoved && (
        <>
          <s className="muted" data-testid="slip-old-odds">
            <Odds value={view.line.odds} />
          </s>{" "}
          →{" "}
        </>
      )}
      <strong data-testid="slip-odds">
        <Odds value={view.odds} />
      </strong>
      {view.hasMoved && (
        <span className={`slip-moved price-${direction}`} data-testid="slip-price-changed">
          Price {direction === "up" ? "up" : "down"} <span aria-hidden="true">{direction === "up" ? "▲" : "▼"}</span>
        </span>
      )}
    </p>
  );
}

/** One-tap stakes, in major units of the currency. */
const QUICK_STAKES = [5, 10, 25, 50];
const toText = (minor: number) => (minor / 100).toFixed(2);

/** One-tap amounts up to the largest stake accepted, and that largest stake ("Max"). */
export function QuickStakes({
  label,
  minStake,
  maxStake,
  currency,
  isLocked,
  onStake,
}: {
  label: string;
  minStake: number;
  maxStake: number;
  currency: string;
  isLocked: boolean;
  onStake: (text: string) => void;
}) {
  const quickStakes = QUICK_STAKES.map((units) => units * 100).filter((minor) => minor <= maxStake);
  return (
    <div className="quick-stakes" role="group" aria-label={`Quick amounts for ${label}`}>
      {quickStakes.map((minor) => (
        <button key={minor} type="button" className="button-chip" disabled={isLocked} onClick={() => onStake(toText(minor))}>
          {formatMoney(minor, currency)}
        </button>
      ))}
      <button
        type="button"
        className="button-chip"
        disabled={isLocked || maxStake < minStake}
        onClick={() => onStake(toText(maxStake))}
        aria-label={`Maximum, ${formatMoney(maxStake, currency)}`}
      >
        Max
      </button>
    </div>
  );
}

/** What a bettor can do about a refusal: deposit, or sign in again. */
export function RefusalLinks({ error }: { error: ApiError }) {
  if (error.code === "INSUFFICIENT_FUNDS")
    return (
      <>
        {" "}
        <Link href="/wallet">Deposit</Link>
      </>
    );
  if (error.code === "UNAUTHENTICATED")
    return (
      <>
        {" "}
        <Link href="/login?next=/">Sign in</Link>
      </>
    );
  return null;
}

/** An accepted bet's reference, stake, odds, potential return and status. */
export function ReceiptDetails({ bet, currency }: { bet: Bet; currency: string }) {
  const words = betWords(bet.status);
  return (
    <dl className="receipt-details">
      <dt>Reference</dt>
      <dd data-testid="bet-reference">{bet.reference}</dd>
      <dt>Stake</dt>
      <dd>{formatMoney(bet.stake, currency)}</dd>
      <dt>Odds</dt>
      <dd data-testid="receipt-odds">
        <Odds value={bet.odds} />
      </dd>
      <dt>Potential return</dt>
      <dd data-testid="receipt-return">{formatMoney(bet.potentialReturn, currency)}</dd>
      <dt>Status</dt>
      <dd>
        <span className={`bet-status bet-status-${words.group}`} data-testid="receipt-status">
          {words.label}
        </span>{" "}
        <span className="muted">{words.explanation}</span>
      </dd>
    </dl>
  );
}
