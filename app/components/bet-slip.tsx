"use client";

import Link from "next/link";
import type { Dispatch, SetStateAction } from "react";
import {
  BET_STATUS_EXPLANATIONS,
  ODDS_CHANGE_PREFERENCES,
  parseOdds,
  potentialReturn,
  type Bet,
  type OddsChangePreference,
} from "@/server/betting/bets.shared";
import { describeError, type ApiError } from "@/app/lib/browser-api";
import { formatMoney, parseMoney } from "@/app/lib/format";
import { useBetSlip, type LineState, type LivePrice, type SlipLine } from "./use-bet-slip";

export { newSlipLine, type LivePrice, type SlipLine } from "./use-bet-slip";

const preferenceLabels: Record<OddsChangePreference, string> = {
  none: "Ask me when the odds change",
  higher: "Accept higher odds automatically",
  any: "Accept any odds change",
};

type Props = {
  lines: SlipLine[];
  setLines: Dispatch<SetStateAction<SlipLine[]>>;
  livePrices: Map<string, LivePrice>;
  currency: string;
};

/** The bet slip: one stake per selection, one request per line, an explicit outcome per line. */
export function BetSlip({ lines, setLines, livePrices, currency }: Props) {
  const slip = useBetSlip(lines, setLines);
  return (
    <aside className="bet-slip card" aria-labelledby="bet-slip-title">
      <h2 id="bet-slip-title">Bet slip</h2>
      {lines.length === 0 && <p className="muted">Choose a price in the list of matches to add it here.</p>}
      <form onSubmit={slip.placeAll} noValidate>
        <ol className="slip-lines">
          {lines.map((line) => (
            <SlipLineItem
              key={line.selectionId}
              line={line}
              live={livePrices.get(line.selectionId)}
              currency={currency}
              onStake={(text) => slip.setStake(line.selectionId, text)}
              onRemove={() => slip.remove(line.selectionId)}
              onAcceptNewOdds={(odds) => slip.acceptNewOdds(line, odds)}
            />
          ))}
        </ol>
        {lines.length > 0 && (
          <>
            {slip.hasOpenLines && (
              <>
                <PreferenceField value={slip.preference} onChange={slip.setPreference} />
                <p className="slip-total">
                  Total stake <strong data-testid="slip-total">{formatMoney(slip.totalStake, currency)}</strong>
                </p>
              </>
            )}
            <div className="actions">
              {slip.toPlaceCount > 0 && (
                <button type="submit" className="button" disabled={slip.isPlacing || slip.hasInvalidStake}>
                  {slip.isPlacing ? "Placing…" : slip.toPlaceCount === 1 ? "Place bet" : `Place ${slip.toPlaceCount} bets`}
                </button>
              )}
              {slip.hasReceipts && (
                <button type="button" className="button button-plain" onClick={slip.clearReceipts}>
                  Clear receipts
                </button>
              )}
            </div>
            {slip.hasInvalidStake && slip.toPlaceCount > 0 && <p className="muted">Enter a stake for each selection to place your bets.</p>}
          </>
        )}
      </form>
    </aside>
  );
}

function PreferenceField({ value, onChange }: { value: OddsChangePreference; onChange: (value: OddsChangePreference) => void }) {
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

type LineProps = {
  line: SlipLine;
  live: LivePrice | undefined;
  currency: string;
  onStake: (text: string) => void;
  onRemove: () => void;
  onAcceptNewOdds: (odds: string) => void;
};

function SlipLineItem({ line, live, currency, onStake, onRemove, onAcceptNewOdds }: LineProps) {
  const { state } = line;
  const label = `${line.selectionName}, ${line.matchName}`;

  if (state.kind === "accepted") return <Receipt bet={state.bet} label={label} currency={currency} />;

  return (
    <li className="slip-line" data-testid="slip-line" data-selection-id={line.selectionId} aria-label={label}>
      <div className="slip-head">
        <p className="slip-name">
          <strong>{line.selectionName}</strong> <span className="muted">{line.matchName}</span>
        </p>
        <button type="button" className="button-link" onClick={onRemove} disabled={state.kind === "placing"} aria-label={`Remove ${label}`}>
          Remove
        </button>
      </div>
      <LineOdds odds={line.odds} live={live} />
      <StakeField line={line} currency={currency} isLocked={state.kind === "placing" || state.kind === "unknown"} onStake={onStake} />
      <LineOutcome state={state} currency={currency} onAcceptNewOdds={onAcceptNewOdds} />
    </li>
  );
}

/** The price the line takes, and what the live catalog says about it now. */
function LineOdds({ odds, live }: { odds: string; live: LivePrice | undefined }) {
  const hasMoved = live !== undefined && live.odds !== odds;
  const direction = hasMoved && parseOdds(live.odds) > parseOdds(odds) ? "up" : "down";
  return (
    <p className="slip-odds">
      Odds <strong data-testid="slip-odds">{odds}</strong>
      {hasMoved && (
        <span className={`slip-moved price-${direction}`} data-testid="slip-price-changed">
          Price now {live.odds} <span aria-hidden="true">{direction === "up" ? "▲" : "▼"}</span>
        </span>
      )}
      {live === undefined && <span className="slip-moved">No longer listed</span>}
      {live !== undefined && !live.isOpen && <span className="slip-moved">Suspended</span>}
    </p>
  );
}

function StakeField({
  line,
  currency,
  isLocked,
  onStake,
}: {
  line: SlipLine;
  currency: string;
  isLocked: boolean;
  onStake: (text: string) => void;
}) {
  const inputId = `stake-${line.selectionId}`;
  const stake = parseMoney(line.stakeText);
  return (
    <>
      <div className="slip-stake">
        <label htmlFor={inputId}>Stake</label>
        <input
          id={inputId}
          inputMode="decimal"
          autoComplete="off"
          placeholder="0.00"
          value={line.stakeText}
          onChange={(e) => onStake(e.target.value)}
          disabled={isLocked}
          aria-invalid={line.stakeText !== "" && !stake}
          aria-describedby={`${inputId}-return`}
        />
        <span id={`${inputId}-return`} className="slip-return">
          Potential return{" "}
          <strong data-testid="potential-return">{formatMoney(stake ? potentialReturn(stake, parseOdds(line.odds)) : 0, currency)}</strong>
        </span>
      </div>
      {line.stakeText !== "" && !stake && <p className="field-error">Enter a stake like 5 or 12.50.</p>}
    </>
  );
}

function LineOutcome({
  state,
  currency,
  onAcceptNewOdds,
}: {
  state: LineState;
  currency: string;
  onAcceptNewOdds: (odds: string) => void;
}) {
  switch (state.kind) {
    case "placing":
      return (
        <p className="outcome" role="status">
          Placing…
        </p>
      );
    case "rejected":
      return <Rejection error={state.error} currency={currency} onAcceptNewOdds={onAcceptNewOdds} />;
    case "unknown":
      return (
        <p className="outcome outcome-error" role="alert">
          Not confirmed: {describeError(state.error)} Press Place again: it is sent with the same key, so it can never be placed twice.
        </p>
      );
    default:
      return null;
  }
}

function Rejection({ error, currency, onAcceptNewOdds }: { error: ApiError; currency: string; onAcceptNewOdds: (odds: string) => void }) {
  if (error.code === "ODDS_CHANGED" && typeof error.currentOdds === "string") {
    const currentOdds = error.currentOdds;
    return (
      <div className="outcome outcome-error" role="alert">
        <p>
          Not placed: the odds changed. New price <strong data-testid="new-odds">{currentOdds}</strong>.
        </p>
        <button type="button" className="button button-small" onClick={() => onAcceptNewOdds(currentOdds)}>
          Accept new odds
        </button>
      </div>
    );
  }
  return (
    <p className="outcome outcome-error" role="alert">
      Not placed: {rejectionText(error, currency)}
      {error.code === "INSUFFICIENT_FUNDS" && (
        <>
          {" "}
          <Link href="/wallet">Deposit</Link>
        </>
      )}
      {error.code === "UNAUTHENTICATED" && (
        <>
          {" "}
          <Link href="/login?next=/">Sign in</Link>
        </>
      )}
    </p>
  );
}

function rejectionText(error: ApiError, currency: string): string {
  switch (error.code) {
    case "MARKET_SUSPENDED":
    case "MATCH_CLOSED":
    case "BETTING_SUSPENDED":
    case "STAKE_TOO_LOW":
    case "STAKE_TOO_HIGH":
      return error.message; // the server's sentence names the limit or the reason
    case "INSUFFICIENT_FUNDS":
      return typeof error.available === "number"
        ? `your available balance (${formatMoney(error.available, currency)}) is too low for this stake.`
        : "your available balance is too low for this stake.";
    case "NOT_FOUND":
      return "this selection no longer exists.";
    case "UNAUTHENTICATED":
      return "your session has ended.";
    default:
      return describeError(error);
  }
}

function Receipt({ bet, label, currency }: { bet: Bet; label: string; currency: string }) {
  return (
    <li className="slip-line receipt" data-testid="receipt" data-selection-id={bet.selectionId} aria-label={`Receipt: ${label}`}>
      <p className="receipt-title" role="status">
        Bet placed: <strong>{label}</strong>
      </p>
      <dl className="receipt-details">
        <dt>Reference</dt>
        <dd data-testid="bet-reference">{bet.reference}</dd>
        <dt>Stake</dt>
        <dd>{formatMoney(bet.stake, currency)}</dd>
        <dt>Odds</dt>
        <dd data-testid="receipt-odds">{bet.odds}</dd>
        <dt>Potential return</dt>
        <dd>{formatMoney(bet.potentialReturn, currency)}</dd>
        <dt>Status</dt>
        <dd>
          <span className={`bet-status bet-status-${bet.status.toLowerCase()}`} data-testid="receipt-status">
            {bet.status}
          </span>{" "}
          <span className="muted">{BET_STATUS_EXPLANATIONS[bet.status]}</span>
        </dd>
      </dl>
    </li>
  );
}
