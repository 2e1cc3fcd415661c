"use client";

import { Odds } from "./odds";
import { useEffect } from "react";
import { parseOdds, potentialReturn, type Bet } from "@/server/betting/bets.shared";
import type { StakeLimits } from "@/server/betting/stake-limits.shared";
import { accumulatorUnavailableBecause } from "@/app/lib/accumulator";
import { describeError, type ApiError } from "@/app/lib/browser-api";
import { formatMoney } from "@/app/lib/format";
import { refusalText } from "@/app/lib/slip-refusals";
import type { LineView, LivePrice } from "@/app/lib/slip-lines";
import { AccumulatorFooter, AccumulatorLegs, AccumulatorReceipts } from "./accumulator-slip";
import { LineOdds, PreferenceField, QuickStakes, ReceiptDetails, RefusalLinks } from "./slip-parts";
import { useSlipState, type SlipMode } from "./slip-provider";
import { useAccumulator } from "./use-accumulator";
import { useBetSlip } from "./use-bet-slip";

type Props = {
  livePrices: Map<string, LivePrice>;
  currency: string;
  limits: StakeLimits;
  available: number;
};

const focusElement = (selector: string) => document.querySelector<HTMLElement>(selector)?.focus();
const receiptSelector = (betId: string) => `.receipt[data-bet-id="${CSS.escape(betId)}"]`;

/**
 * The bet slip (its state in SlipProvider, so every page with prices shares it). Singles: one stake per selection,
 * one request per line, an explicit outcome per line. Accumulator: the same selections as the legs of one bet, with
 * one stake. On a phone it is a sheet over the page, opened from a bar at the foot of the screen.
 */
export function BetSlip({ livePrices, currency, limits, available }: Props) {
  const {
    lines: [lines, setLines],
    mode: [mode, setMode],
    isOpen: [isOpen, setOpen],
    chosen: [chosen],
  } = useSlipState();
  const context = { livePrices, limits, available, currency };
  const slip = useBetSlip(lines, setLines, context);
  const accumulator = useAccumulator({ ...context, preference: slip.preference });
  const isAccumulator = mode === "accumulator";

  useEffect(() => {
    if (!chosen) return;
    // In accumulator mode the one stake takes the focus (the line has none of its own).
    focusElement(isAccumulator ? "#accumulator-stake" : `#stake-${CSS.escape(chosen.selectionId)}`);
    // Only a new choice moves the focus, not a change of mode.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [chosen]);
  const { lastAccepted } = slip;
  useEffect(() => {
    if (lastAccepted?.betIds[0]) focusElement(receiptSelector(lastAccepted.betIds[0]));
  }, [lastAccepted]);
  useEffect(() => {
    if (accumulator.lastAccepted) focusElement(receiptSelector(accumulator.lastAccepted));
  }, [accumulator.lastAccepted]);

  const openLines = lines.filter((l) => l.state.kind !== "accepted");
  const openCount = openLines.length;
  // The choice appears once an accumulator is possible in number; it stays while the bettor is on it.
  const showModes = openCount >= 2 || (isAccumulator && openCount >= 1);
  const hasReceipts = slip.hasReceipts || accumulator.receipts.length > 0;
  const clearReceipts = () => {
    slip.clearReceipts();
    accumulator.clearReceipts();
  };
  const barTotal = isAccumulator ? (accumulator.view.stake ?? 0) : slip.totalStake;
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
          Bet slip ({openCount}) · {formatMoney(barTotal, currency)}
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
        {lines.length === 0 && accumulator.receipts.length === 0 && (
          <p className="muted">Choose a price in the list of matches to add it here.</p>
        )}
        {showModes && (
          <ModeSwitch
            mode={mode}
            onChange={setMode}
            accumulatorNote={isAccumulator ? null : accumulatorUnavailableBecause(openLines)}
            disabled={slip.isPlacing || accumulator.isPlacing}
          />
        )}
        {isAccumulator && openCount > 0 ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              accumulator.place();
            }}
            noValidate
            className="slip-form"
          >
            <ol className="slip-lines">
              <AccumulatorLegs view={accumulator.view} onRemove={slip.remove} />
              {slip.views
                .filter((v) => v.state.kind === "accepted")
                .map((view) => (
                  <SlipLineItem key={view.line.selectionId} view={view} currency={currency} {...noLineActions} />
                ))}
              <AccumulatorReceipts receipts={accumulator.receipts} currency={currency} />
            </ol>
            <AccumulatorFooter
              accumulator={accumulator}
              currency={currency}
              preference={<PreferenceField value={slip.preference} onChange={slip.setPreference} />}
              onClearReceipts={hasReceipts ? clearReceipts : null}
            />
          </form>
        ) : (
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
              <AccumulatorReceipts receipts={accumulator.receipts} currency={currency} />
            </ol>
            {(lines.length > 0 || hasReceipts) && (
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
                  {hasReceipts && (
                    <button type="button" className="button button-plain" onClick={clearReceipts}>
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
        )}
      </aside>
    </>
  );
}

const noLineActions = { onStake: () => {}, onRemove: () => {}, onAcceptNewOdds: () => {} };

const modeLabels: Record<SlipMode, string> = { singles: "Singles", accumulator: "Accumulator" };

/** Singles or one accumulator from the same selections; why no accumulator can be built, before the bettor asks. */
function ModeSwitch({
  mode,
  onChange,
  accumulatorNote,
  disabled,
}: {
  mode: SlipMode;
  onChange: (mode: SlipMode) => void;
  accumulatorNote: string | null;
  disabled: boolean;
}) {
  return (
    <fieldset className="slip-modes" data-testid="slip-modes">
      <legend className="sr-only">Place these selections as</legend>
      <div className="slip-mode-options">
        {(Object.keys(modeLabels) as SlipMode[]).map((m) => (
          <label key={m} className="slip-mode">
            <input
              type="radio"
              name="slip-mode"
              value={m}
              checked={mode === m}
              disabled={disabled}
              onChange={() => onChange(m)}
              aria-describedby={m === "accumulator" && accumulatorNote ? "accumulator-note" : undefined}
            />
            <span>{modeLabels[m]}</span>
          </label>
        ))}
      </div>
      {accumulatorNote && (
        <p id="accumulator-note" className="slip-mode-note muted" data-testid="accumulator-note">
          No accumulator: {accumulatorNote.charAt(0).toLowerCase() + accumulatorNote.slice(1)}
        </p>
      )}
    </fieldset>
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
      <QuickStakes
        label={label}
        minStake={view.minStake}
        maxStake={view.maxStake}
        currency={currency}
        isLocked={isLocked}
        onStake={onStake}
      />
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
          Not placed: the odds changed. New price{" "}
          <strong data-testid="new-odds">
            <Odds value={currentOdds} />
          </strong>
          .
        </p>
        <button type="button" className="button button-small" onClick={() => onAcceptNewOdds(currentOdds)}>
          Accept new odds
        </button>
      </div>
    );
  }
  return (
    <p className="outcome outcome-error" role="alert">
      Not placed: {refusalText(error, currency)}
      <RefusalLinks error={error} />
    </p>
  );
}

function Receipt({ bet, label, currency }: { bet: Bet; label: string; currency: string }) {
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
      <ReceiptDetails bet={bet} currency={currency} />
    </li>
  );
}
