"use client";

import type { ReactNode } from "react";
import { type AccumulatorReceipt, type AccumulatorView, type LegView } from "@/app/lib/accumulator";
import { describeError, type ApiError } from "@/app/lib/browser-api";
import { formatMoney } from "@/app/lib/format";
import { refusalText } from "@/app/lib/slip-refusals";
import { Odds } from "./odds";
import { LineOdds, QuickStakes, ReceiptDetails, RefusalLinks } from "./slip-parts";
import type { useAccumulator } from "./use-accumulator";

// The slip in accumulator mode: the selections as legs, then one stake, the combined odds and the return.

type Accumulator = ReturnType<typeof useAccumulator>;
const legLabel = (leg: Pick<LegView["line"], "selectionName" | "matchName">) => `${leg.selectionName}, ${leg.matchName}`;

export function AccumulatorLegs({ view, onRemove }: { view: AccumulatorView; onRemove: (selectionId: string) => void }) {
  const isPlacing = view.state.kind === "placing";
  return view.legs.map((leg) => {
    const label = legLabel(leg.line);
    return (
      <li
        key={leg.line.selectionId}
        className={`slip-line slip-leg${leg.blockedBecause ? " slip-line-blocked" : ""}${leg.refusedAt ? " slip-leg-moved" : ""}`}
        data-testid="accumulator-leg"
        data-selection-id={leg.line.selectionId}
        aria-label={label}
      >
        <div className="slip-head">
          <p className="slip-name">
            <strong>{leg.line.selectionName}</strong> <span className="muted">{leg.line.matchName}</span>
          </p>
          <button
            type="button"
            className="button-link"
            onClick={() => onRemove(leg.line.selectionId)}
            disabled={isPlacing}
            aria-label={`Remove ${label}`}
          >
            Remove
          </button>
        </div>
        <LineOdds view={leg} />
        {leg.refusedAt && (
          <p className="slip-blocked" data-testid="leg-odds-changed">
            Price moved to <Odds value={leg.refusedAt} /> before your bet reached us.
          </p>
        )}
        {leg.blockedBecause && (
          <p className="slip-blocked" data-testid="slip-blocked">
            Cannot be placed: {leg.blockedBecause.toLowerCase()}.
          </p>
        )}
      </li>
    );
  });
}

type FooterProps = {
  accumulator: Accumulator;
  currency: string;
  /** The odds-change preference field, shared with singles. */
  preference: ReactNode;
  onClearReceipts: (() => void) | null;
};

export function AccumulatorFooter({ accumulator, currency, preference, onClearReceipts }: FooterProps) {
  const { view } = accumulator;
  const isLocked = view.state.kind === "placing" || view.state.kind === "unknown";
  const disabledBecause =
    view.state.kind === "placing" || view.unavailableBecause
      ? null // the reason the accumulator is unavailable is shown above, and the button points at it
      : view.blockedBecause
        ? `Cannot be placed: ${view.blockedBecause}.`
        : !view.stake || view.stakeError
          ? "Enter a valid stake to place the accumulator."
          : null;
  const label =
    view.state.kind === "placing"
      ? "Placing…"
      : accumulator.isOddsRefusal
        ? "Accept new odds and place"
        : view.hasMoved && view.state.kind !== "unknown"
          ? "Accept changes and place"
          : "Place accumulator";
  const describedBy = view.unavailableBecause ? "accumulator-unavailable" : disabledBecause ? "place-disabled-because" : undefined;
  return (
    <div className="slip-footer">
      <section className="accumulator" aria-labelledby="accumulator-title" data-testid="accumulator">
        <h3 id="accumulator-title" className="accumulator-title">
          Accumulator{view.unavailableBecause ? "" : `, ${view.legs.length} legs`}
        </h3>
        {view.unavailableBecause ? (
          <p id="accumulator-unavailable" className="slip-blocked" role="status" data-testid="accumulator-unavailable">
            {view.unavailableBecause}
          </p>
        ) : (
          <p className="slip-odds">
            Combined odds{" "}
            <strong data-testid="accumulator-odds">
              <Odds value={view.odds} />
            </strong>
          </p>
        )}
        <div className="slip-stake">
          <label htmlFor="accumulator-stake">Accumulator stake ({currency})</label>
          <input
            id="accumulator-stake"
            inputMode="decimal"
            autoComplete="off"
            placeholder="0.00"
            value={accumulator.stakeText}
            onChange={(e) => accumulator.setStake(e.target.value)}
            disabled={isLocked}
            aria-invalid={view.stakeError !== null}
            aria-describedby="accumulator-limits accumulator-return"
          />
          <span id="accumulator-return" className="slip-return">
            Potential return <strong data-testid="accumulator-return">{formatMoney(view.potentialReturn, currency)}</strong>
          </span>
        </div>
        <QuickStakes
          label="the accumulator"
          minStake={view.minStake}
          maxStake={view.maxStake}
          currency={currency}
          isLocked={isLocked}
          onStake={accumulator.setStake}
        />
        <p id="accumulator-limits" className="slip-limits muted" data-testid="accumulator-limits">
          Stake {formatMoney(view.minStake, currency)} to {formatMoney(view.maxStake, currency)}
        </p>
        {view.stakeError && (
          <p className="field-error" data-testid="stake-error">
            {view.stakeError}
          </p>
        )}
        <AccumulatorOutcome accumulator={accumulator} currency={currency} />
      </section>
      {preference}
      <div className="actions">
        <button type="submit" className="button" disabled={!accumulator.canPlace} aria-describedby={describedBy}>
          {label}
        </button>
        {onClearReceipts && (
          <button type="button" className="button button-plain" onClick={onClearReceipts}>
            Clear receipts
          </button>
        )}
      </div>
      {disabledBecause && (
        <p id="place-disabled-because" className="muted" data-testid="place-disabled-because">
          {disabledBecause}
        </p>
      )}
    </div>
  );
}

function AccumulatorOutcome({ accumulator, currency }: { accumulator: Accumulator; currency: string }) {
  const { view } = accumulator;
  switch (view.state.kind) {
    case "placing":
      return (
        <p className="outcome" role="status">
          Placing…
        </p>
      );
    case "unknown":
      return (
        <p className="outcome outcome-error" role="alert" data-testid="accumulator-outcome">
          Not confirmed: {describeError(view.state.error)} Press Place again: it is sent with the same key, so it can never be placed twice.
        </p>
      );
    case "rejected":
      return accumulator.isOddsRefusal ? (
        <OddsChanged accumulator={accumulator} currency={currency} />
      ) : (
        <Refusal error={view.state.error} view={view} currency={currency} onStake={accumulator.setStake} />
      );
    default:
      return null;
  }
}

/** ODDS_CHANGED: which legs moved and to what, and the accumulator at the new prices, which Place now takes. */
function OddsChanged({ accumulator, currency }: { accumulator: Accumulator; currency: string }) {
  const { view } = accumulator;
  const moved = view.legs.filter((leg) => leg.refusedAt !== null);
  return (
    <div className="outcome outcome-error" role="alert" data-testid="accumulator-outcome">
      <p>Not placed: the odds changed on {moved.length === 1 ? "one leg" : `${moved.length} legs`}.</p>
      <ul className="moved-legs">
        {moved.map((leg) => (
          <li key={leg.line.selectionId} data-testid="moved-leg">
            {legLabel(leg.line)}:{" "}
            <s>
              <Odds value={leg.odds} />
            </s>{" "}
            → <Odds value={leg.refusedAt!} />
          </li>
        ))}
      </ul>
      <p>
        At the new prices: odds{" "}
        <strong data-testid="new-accumulator-odds">
          <Odds value={view.atRefusedOdds!.odds} />
        </strong>
        , potential return{" "}
        <strong data-testid="new-accumulator-return">{formatMoney(view.atRefusedOdds!.potentialReturn, currency)}</strong>. Press Place to
        take them.
      </p>
    </div>
  );
}

function Refusal({
  error,
  view,
  currency,
  onStake,
}: {
  error: ApiError;
  view: AccumulatorView;
  currency: string;
  onStake: (text: string) => void;
}) {
  const legName = (selectionId: string) => {
    const leg = view.legs.find((l) => l.line.selectionId === selectionId);
    return leg ? `${leg.line.selectionName} (${leg.line.matchName})` : null;
  };
  const maxStake = typeof error.maxStake === "number" && error.maxStake >= view.minStake ? error.maxStake : null;
  return (
    <div className="outcome outcome-error" role="alert" data-testid="accumulator-outcome">
      <p>
        Not placed: {refusalText(error, currency, legName)}
        <RefusalLinks error={error} />
      </p>
      {maxStake !== null && (
        <button type="button" className="button button-small" onClick={() => onStake((maxStake / 100).toFixed(2))}>
          Stake {formatMoney(maxStake, currency)} instead
        </button>
      )}
    </div>
  );
}

export function AccumulatorReceipts({ receipts, currency }: { receipts: AccumulatorReceipt[]; currency: string }) {
  return receipts.map(({ bet, legs }) => (
    <li
      key={bet.id}
      className="slip-line receipt"
      data-testid="accumulator-receipt"
      data-bet-id={bet.id}
      aria-label={`Receipt: accumulator, ${legs.length} legs`}
      tabIndex={-1}
    >
      <p className="receipt-title" role="status">
        Accumulator placed: <strong>{legs.length} legs</strong>
      </p>
      <ul className="receipt-legs">
        {legs.map((leg) => {
          const odds = bet.legs.find((l) => l.selectionId === leg.selectionId)?.odds;
          return (
            <li key={leg.selectionId} data-testid="receipt-leg">
              {legLabel(leg)}
              {odds && (
                <>
                  {" "}
                  @ <Odds value={odds} />
                </>
              )}
            </li>
          );
        })}
      </ul>
      <ReceiptDetails bet={bet} currency={currency} />
    </li>
  ));
}
