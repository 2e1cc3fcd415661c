"use client";

import { Odds } from "./odds";
import Link from "next/link";
import { useEffect, type Dispatch, type SetStateAction } from "react";
import { ODDS_CHANGE_PREFERENCES, parseOdds, potentialReturn, type Bet, type OddsChangePreference } from "@/server/betting/bets.shared";
import type { StakeLimits } from "@/server/betting/stake-limits.shared";
import { describeError, type ApiError } from "@/app/lib/browser-api";
import { betWords } from "@/app/lib/bet-words";
import { formatMoney } from "@/app/lib/format";
import type { LineView, LivePrice, SlipLine } from "@/app/lib/slip-lines";
import { useBetSlip } from "./use-bet-slip";

export { newSlipLine, type LivePrice, type SlipLine } from "@/app/lib/slip-lines";

const preferenceLabels: Record<OddsChangePreference, string> = {
  none: "Ask me when the odds change",
  higher: "Accept higher odds automatically",
  any: "Accept any odds change",
};

/** One-tap stakes, in major units of the currency. */
const QUICK_STAKES = [5, 10, 25, 50];

type Props = {
  lines: SlipLine[];
  setLines: Dispatch<SetStateAction<SlipLine[]>>;
  livePrices: Map<string, LivePrice>;
  currency: string;
  limits: StakeLimits;
  available: number;
  /** On a phone the slip is a sheet over the catalog, opened from a bar at the foot of the screen. */
  isOpen: boolean;
  setOpen: (isOpen: boolean) => void;
  /** The price the bettor chose last: its stake field takes the focus. */
  chosen: { selectionId: string } | null;
};

const focusElement = (selector: string) => document.querySelector<HTMLElement>(selector)?.focus();

/** The bet slip: one stake per selection, one request per line, an explicit outcome per line. */
export function BetSlip({ lines, setLines, livePrices, currency, limits, available, isOpen, setOpen, chosen }: Props) {
  const slip = useBetSlip(lines, setLines, { livePrices, limits, available, currency });

  useEffect(() => {
    if (chosen) focusElement(`#stake-${CSS.escape(chosen.selectionId)}`);
  }, [chosen]);
  const { lastAccepted } = slip;
  useEffect(() => {
    if (lastAccepted?.betIds[0]) focusElement(`[data-testid="receipt"][data-bet-id="${CSS.escape(lastAccepted.betIds[0])}"]`);
  }, [lastAccepted]);

  const openCount = lines.filter((l) => l.state.kind !== "accepted").length;
  const placeDisabledBecause = slip.isPlacing
    ? null
    : slip.toPlaceCount === 0 && slip.blocked.length > 0
      ? `Nothing can be placed: ${slip.blocked[0]!.blockedBecause!.toLowerCase()}.`
      : slip.hasInvalidStake
        ? "Enter a valid stake for each selection to place your bets."
        : null;
  const placeLabel = slip.isPlacing
    ? "Placing…"
    : slip.hasMovedPrice
      ? "Accept changes and place"
      : slip.toPlaceCount > 1
        ? `Place ${slip.toPlaceCount} bets`
        : "Place bet";

  return (
    <>
      <button
        type="button"
        className="slip-bar"
        aria-controls="bet-slip"
        aria-expanded={isOpen}
        data-testid="slip-bar"
        onClick={() => setOpen(!isOpen)}
      >
        <span>
          Bet slip ({openCount}) · {formatMoney(slip.totalStake, currency)}
        </span>
        <span aria-hidden="true">{isOpen ? "▼" : "▲"}</span>
      </button>
      <aside
        id="bet-slip"
        className={`bet-slip card${isOpen ? " is-open" : ""}`}
        aria-labelledby="bet-slip-title"
        onKeyDown={(e) => e.key === "Escape" && setOpen(false)}
      >
        <div className="slip-header">
          <h2 id="bet-slip-title">Bet slip</h2>
          <button type="button" className="button-link slip-close" onClick={() => setOpen(false)}>
            Close
          </button>
        </div>
        {lines.length === 0 && <p className="muted">Choose a price in the list of matches to add it here.</p>}
        <form onSubmit={slip.placeAll} noValidate className="slip-form">
          <ol className="slip-lines">
            {slip.views.map((view) => (
              <SlipLineItem
                key={view.line.selectionId}
                view={view}
                currency={currency}
                onStake={(text) => slip.setStake(view.line.selectionId, text)}
                onRemove={() => slip.remove(view.line.selectionId)}
                onAcceptNewOdds={(odds) => slip.acceptNewOdds(view, odds)}
              />
            ))}
          </ol>
          {lines.length > 0 && (
            <div className="slip-footer">
              {slip.hasOpenLines && (
                <>
                  <PreferenceField value={slip.preference} onChange={slip.setPreference} />
                  <p className="slip-total">
                    Total stake <strong data-testid="slip-total">{formatMoney(slip.totalStake, currency)}</strong>
                  </p>
                </>
              )}
              <div className="actions">
                {slip.hasOpenLines && (
                  <button
                    type="submit"
                    className="button"
                    disabled={slip.isPlacing || slip.toPlaceCount === 0 || slip.hasInvalidStake}
                    aria-describedby={placeDisabledBecause ? "place-disabled-because" : undefined}
                  >
                    {placeLabel}
                  </button>
                )}
                {slip.hasReceipts && (
                  <button type="button" className="button button-plain" onClick={slip.clearReceipts}>
                    Clear receipts
                  </button>
                )}
              </div>
              {placeDisabledBecause && (
                <p id="place-disabled-because" className="muted" data-testid="place-disabled-because">
                  {placeDisabledBecause}
                </p>
              )}
            </div>
          )}
        </form>
      </aside>
    </>
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
  view: LineView;
  currency: string;
  onStake: (text: string) => void;
  onRemove: () => void;
  onAcceptNewOdds: (odds: string) => void;
};

function SlipLineItem({ view, currency, onStake, onRemove, onAcceptNewOdds }: LineProps) {
  const { line, state } = view;
  const label = `${line.selectionName}, ${line.matchName}`;

  if (state.kind === "accepted") return <Receipt bet={state.bet} label={label} currency={currency} />;

  return (
    <li
      className={`slip-line${view.blockedBecause ? " slip-line-blocked" : ""}`}
      data-testid="slip-line"
      data-selection-id={line.selectionId}
      aria-label={label}
    >
      <div className="slip-head">
        <p className="slip-name">
          <strong>{line.selectionName}</strong> <span className="muted">{line.matchName}</span>
        </p>
        <button type="button" className="button-link" onClick={onRemove} disabled={state.kind === "placing"} aria-label={`Remove ${label}`}>
          Remove
        </button>
      </div>
      <LineOdds view={view} />
      {view.blockedBecause && (
        <p className="slip-blocked" data-testid="slip-blocked">
          Cannot be placed: {view.blockedBecause.toLowerCase()}.
        </p>
      )}
      <StakeField
        view={view}
        label={label}
        currency={currency}
        isLocked={state.kind === "placing" || state.kind === "unknown"}
        onStake={onStake}
      />
      <LineOutcome state={state} currency={currency} onAcceptNewOdds={onAcceptNewOdds} />
    </li>
  );
}

/** The price Place takes; when it moved since the bettor chose it, the old one struck through beside it. */
function LineOdds({ view }: { view: LineView }) {
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

function StakeField({
  view,
  label,
  currency,
  isLocked,
  onStake,
}: {
  view: LineView;
  label: string;
  currency: string;
  isLocked: boolean;
  onStake: (text: string) => void;
}) {
  const inputId = `stake-${view.line.selectionId}`;
  const toText = (minor: number) => (minor / 100).toFixed(2);
  const quickStakes = QUICK_STAKES.map((units) => units * 100).filter((minor) => minor <= view.maxStake);
  return (
    <>
      <div className="slip-stake">
        <label htmlFor={inputId}>Stake ({currency})</label>
        <input
          id={inputId}
          inputMode="decimal"
          autoComplete="off"
          placeholder="0.00"
          value={view.line.stakeText}
          onChange={(e) => onStake(e.target.value)}
          disabled={isLocked}
          aria-invalid={view.stakeError !== null}
          aria-describedby={`${inputId}-limits ${inputId}-return`}
        />
        <span id={`${inputId}-return`} className="slip-return">
          Potential return{" "}
          <strong data-testid="potential-return">
            {formatMoney(view.stake ? potentialReturn(view.stake, parseOdds(view.odds)) : 0, currency)}
          </strong>
        </span>
      </div>
      <div className="quick-stakes" role="group" aria-label={`Quick amounts for ${label}`}>
        {quickStakes.map((minor) => (
          <button key={minor} type="button" className="button-chip" disabled={isLocked} onClick={() => onStake(toText(minor))}>
            {formatMoney(minor, currency)}
          </button>
        ))}
        <button
          type="button"
          className="button-chip"
          disabled={isLocked || view.maxStake < view.minStake}
          onClick={() => onStake(toText(view.maxStake))}
          aria-label={`Maximum, ${formatMoney(view.maxStake, currency)}`}
        >
          Max
        </button>
      </div>
      <p id={`${inputId}-limits`} className="slip-limits muted" data-testid="stake-limits">
        Stake {formatMoney(view.minStake, currency)} to {formatMoney(view.maxStake, currency)}
      </p>
      {view.stakeError && (
        <p className="field-error" data-testid="stake-error">
          {view.stakeError}
        </p>
      )}
    </>
  );
}

function LineOutcome({
  state,
  currency,
  onAcceptNewOdds,
}: {
  state: LineView["state"];
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

const amountDetail = (error: ApiError, name: string) => (typeof error[name] === "number" ? (error[name] as number) : null);

/** The refusal in the bettor's words, every amount in their currency (the server's sentences carry bare numbers). */
function rejectionText(error: ApiError, currency: string): string {
  const money = (name: string) => {
    const value = amountDetail(error, name);
    return value === null ? null : formatMoney(value, currency);
  };
  switch (error.code) {
    case "STAKE_TOO_LOW":
      return money("minStake") ? `the minimum stake is ${money("minStake")}.` : error.message;
    case "STAKE_TOO_HIGH":
      if (money("maxPayout") && money("maxStake"))
        return `the potential return may not exceed ${money("maxPayout")}; the most you can stake at these odds is ${money("maxStake")}.`;
      return money("maxStake") ? `the maximum stake is ${money("maxStake")}.` : error.message;
    case "INSUFFICIENT_FUNDS":
      return money("available")
        ? `your available balance (${money("available")}) is too low for this stake.`
        : "your available balance is too low for this stake.";
    case "MARKET_SUSPENDED":
    case "MATCH_CLOSED":
    case "BETTING_SUSPENDED":
      return error.message; // the server's sentence names the reason
    case "NOT_FOUND":
      return "this selection no longer exists.";
    case "UNAUTHENTICATED":
      return "your session has ended.";
    default:
      // Refusals added later (a liability limit, say) that name the largest stake still accepted.
      return money("maxStake") ? `${error.message} The most you can stake now is ${money("maxStake")}.` : describeError(error);
  }
}

function Receipt({ bet, label, currency }: { bet: Bet; label: string; currency: string }) {
  const words = betWords(bet.status);
  return (
    <li
      className="slip-line receipt"
      data-testid="receipt"
      data-bet-id={bet.id}
      data-selection-id={bet.selectionId}
      aria-label={`Receipt: ${label}`}
      tabIndex={-1}
    >
      <p className="receipt-title" role="status">
        Bet placed: <strong>{label}</strong>
      </p>
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
        <dd>{formatMoney(bet.potentialReturn, currency)}</dd>
        <dt>Status</dt>
        <dd>
          <span className={`bet-status bet-status-${words.group}`} data-testid="receipt-status">
            {words.label}
          </span>{" "}
          <span className="muted">{words.explanation}</span>
        </dd>
      </dl>
    </li>
  );
}
