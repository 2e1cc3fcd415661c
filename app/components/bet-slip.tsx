"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useSyncExternalStore, type Dispatch, type FormEvent, type SetStateAction } from "react";
import {
  BET_STATUS_EXPLANATIONS,
  ODDS_CHANGE_PREFERENCES,
  parseOdds,
  potentialReturn,
  type Bet,
  type OddsChangePreference,
} from "@/server/betting/schemas";
import { callApi, describeError, type ApiError } from "@/app/lib/browser-api";
import { formatMoney, parseMoney } from "@/app/lib/format";
import { newIdempotencyKey } from "@/app/lib/idempotency-key";

/** What the catalog knows about a selection right now (from the odds stream). */
export type LivePrice = { odds: string; isOpen: boolean };

type LineState =
  | { kind: "editing" }
  | { kind: "placing" }
  | { kind: "accepted"; bet: Bet }
  | { kind: "rejected"; error: ApiError }
  // The request may or may not have reached the server: only a retry with the same key and body is safe.
  | { kind: "unknown"; error: ApiError };

export type SlipLine = {
  selectionId: string;
  selectionName: string;
  matchName: string;
  stakeText: string;
  /** The price the bettor takes; a live change is shown beside it, never applied silently. */
  odds: string;
  idempotencyKey: string;
  /** The body the key was last sent with: the same body reuses the key (a retry), a different one gets a new key. */
  sentBody: string | null;
  state: LineState;
};

export function newSlipLine(selection: { id: string; name: string; odds: string }, matchName: string): SlipLine {
  return { selectionId: selection.id, selectionName: selection.name, matchName, stakeText: "", odds: selection.odds, idempotencyKey: newIdempotencyKey(), sentBody: null, state: { kind: "editing" } };
}

// The odds-change preference is remembered per browser; useSyncExternalStore reads it without a hydration mismatch.
const PREFERENCE_KEY = "bookmaker.acceptOddsChanges";
const PREFERENCE_EVENT = "bookmaker-preference";
const preferenceLabels: Record<OddsChangePreference, string> = {
  none: "Ask me when the odds change",
  higher: "Accept higher odds automatically",
  any: "Accept any odds change",
};

function readPreference(): OddsChangePreference {
  const stored = window.localStorage.getItem(PREFERENCE_KEY);
  return (ODDS_CHANGE_PREFERENCES as readonly string[]).includes(stored ?? "") ? (stored as OddsChangePreference) : "none";
}

function subscribePreference(onChange: () => void) {
  window.addEventListener("storage", onChange);
  window.addEventListener(PREFERENCE_EVENT, onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener(PREFERENCE_EVENT, onChange);
  };
}

function usePreference(): [OddsChangePreference, (value: OddsChangePreference) => void] {
  const value = useSyncExternalStore(subscribePreference, readPreference, () => "none" as const);
  return [
    value,
    (next) => {
      window.localStorage.setItem(PREFERENCE_KEY, next);
      window.dispatchEvent(new Event(PREFERENCE_EVENT));
    },
  ];
}

// Failures where the bet may have been taken: the line keeps its key and body until a retry gives an answer.
const isOutcomeUnknown = (status: number) => status === 0 || status >= 500;

type Props = {
  lines: SlipLine[];
  setLines: Dispatch<SetStateAction<SlipLine[]>>;
  livePrices: Map<string, LivePrice>;
  currency: string;
};

/** The bet slip: one stake per selection, one request per line, an explicit outcome per line. */
export function BetSlip({ lines, setLines, livePrices, currency }: Props) {
  const router = useRouter();
  const [preference, setPreference] = usePreference();

  const update = (selectionId: string, change: (line: SlipLine) => SlipLine) => setLines((current) => current.map((l) => (l.selectionId === selectionId ? change(l) : l)));

  async function place(line: SlipLine): Promise<boolean> {
    const stake = parseMoney(line.stakeText);
    if (stake === null || stake === 0) return false;
    const body = { selectionId: line.selectionId, stake, odds: line.odds, acceptOddsChanges: preference };
    const signature = JSON.stringify(body);
    const idempotencyKey = line.sentBody === null || line.sentBody === signature ? line.idempotencyKey : newIdempotencyKey();
    update(line.selectionId, (l) => ({ ...l, odds: line.odds, idempotencyKey, sentBody: signature, state: { kind: "placing" } }));
    const result = await callApi<{ bet: Bet }>("POST", "/api/bets", { ...body, idempotencyKey });
    const state: LineState = result.ok
      ? { kind: "accepted", bet: result.data.bet }
      : isOutcomeUnknown(result.status)
        ? { kind: "unknown", error: result.error }
        : { kind: "rejected", error: result.error };
    update(line.selectionId, (l) => ({ ...l, state }));
    return result.ok;
  }

  const toPlace = lines.filter((l) => l.state.kind !== "accepted" && l.state.kind !== "placing");
  const isPlacing = lines.some((l) => l.state.kind === "placing");
  const invalid = toPlace.filter((l) => !parseMoney(l.stakeText));

  async function placeAll(event: FormEvent) {
    event.preventDefault();
    if (toPlace.length === 0 || invalid.length > 0) return;
    const outcomes = await Promise.all(toPlace.map(place));
    // The header shows the available balance, which drops as soon as a bet is accepted.
    if (outcomes.some(Boolean)) router.refresh();
  }

  async function acceptNewOdds(line: SlipLine, currentOdds: string) {
    // A new price is a new body, so place() gives it a new idempotency key.
    if (await place({ ...line, odds: currentOdds })) router.refresh();
  }

  const openLines = lines.filter((l) => l.state.kind !== "accepted");
  const totalStake = openLines.reduce((sum, l) => sum + (parseMoney(l.stakeText) ?? 0), 0);

  return (
    <aside className="bet-slip card" aria-labelledby="bet-slip-title">
      <h2 id="bet-slip-title">Bet slip</h2>
      {lines.length === 0 && <p className="muted">Choose a price in the list of matches to add it here.</p>}
      <form onSubmit={placeAll} noValidate>
        <ol className="slip-lines">
          {lines.map((line) => (
            <SlipLineItem
              key={line.selectionId}
              line={line}
              live={livePrices.get(line.selectionId)}
              currency={currency}
              onStake={(text) => update(line.selectionId, (l) => ({ ...l, stakeText: text, state: l.state.kind === "rejected" ? { kind: "editing" } : l.state }))}
              onRemove={() => setLines((current) => current.filter((l) => l.selectionId !== line.selectionId))}
              onAcceptNewOdds={(odds) => void acceptNewOdds(line, odds)}
            />
          ))}
        </ol>
        {lines.length > 0 && (
          <>
            {openLines.length > 0 && (
              <>
                <div className="field">
                  <label htmlFor="odds-preference">When the odds change</label>
                  <select id="odds-preference" value={preference} onChange={(e) => setPreference(e.target.value as OddsChangePreference)}>
                    {ODDS_CHANGE_PREFERENCES.map((p) => (
                      <option key={p} value={p}>
                        {preferenceLabels[p]}
                      </option>
                    ))}
                  </select>
                </div>
                <p className="slip-total">
                  Total stake <strong data-testid="slip-total">{formatMoney(totalStake, currency)}</strong>
                </p>
              </>
            )}
            <div className="actions">
              {toPlace.length > 0 && (
                <button type="submit" className="button" disabled={isPlacing || invalid.length > 0}>
                  {isPlacing ? "Placing…" : toPlace.length === 1 ? "Place bet" : `Place ${toPlace.length} bets`}
                </button>
              )}
              {lines.some((l) => l.state.kind === "accepted") && (
                <button type="button" className="button button-plain" onClick={() => setLines((current) => current.filter((l) => l.state.kind !== "accepted"))}>
                  Clear receipts
                </button>
              )}
            </div>
            {invalid.length > 0 && toPlace.length > 0 && <p className="muted">Enter a stake for each selection to place your bets.</p>}
          </>
        )}
      </form>
    </aside>
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
  const inputId = `stake-${line.selectionId}`;
  const label = `${line.selectionName}, ${line.matchName}`;

  if (state.kind === "accepted") return <Receipt bet={state.bet} label={label} currency={currency} />;

  const stake = parseMoney(line.stakeText);
  const isLocked = state.kind === "placing" || state.kind === "unknown";
  const hasMoved = live !== undefined && live.odds !== line.odds;
  const direction = hasMoved && parseOdds(live.odds) > parseOdds(line.odds) ? "up" : "down";
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
      <p className="slip-odds">
        Odds <strong data-testid="slip-odds">{line.odds}</strong>
        {hasMoved && (
          <span className={`slip-moved price-${direction}`} data-testid="slip-price-changed">
            Price now {live.odds} <span aria-hidden="true">{direction === "up" ? "▲" : "▼"}</span>
          </span>
        )}
        {live === undefined && <span className="slip-moved">No longer listed</span>}
        {live !== undefined && !live.isOpen && <span className="slip-moved">Suspended</span>}
      </p>
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
          Potential return <strong data-testid="potential-return">{formatMoney(stake ? potentialReturn(stake, parseOdds(line.odds)) : 0, currency)}</strong>
        </span>
      </div>
      {line.stakeText !== "" && !stake && <p className="field-error">Enter a stake like 5 or 12.50.</p>}
      {state.kind === "placing" && (
        <p className="outcome" role="status">
          Placing…
        </p>
      )}
      {state.kind === "rejected" && <Rejection error={state.error} currency={currency} onAcceptNewOdds={onAcceptNewOdds} />}
      {state.kind === "unknown" && (
        <p className="outcome outcome-error" role="alert">
          Not confirmed: {describeError(state.error)} Press Place again: it is sent with the same key, so it can never be placed twice.
        </p>
      )}
    </li>
  );
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
      return typeof error.available === "number" ? `your available balance (${formatMoney(error.available, currency)}) is too low for this stake.` : "your available balance is too low for this stake.";
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
