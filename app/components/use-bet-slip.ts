"use client";

import { useRouter } from "next/navigation";
import { useState, useSyncExternalStore, type Dispatch, type FormEvent, type SetStateAction } from "react";
import { ODDS_CHANGE_PREFERENCES, parseOdds, type Bet, type OddsChangePreference } from "@/server/betting/bets.shared";
import { maxStakeAt, type StakeLimits } from "@/server/betting/stake-limits.shared";
import { callApi, type ApiError } from "@/app/lib/browser-api";
import { formatMoney, parseMoney } from "@/app/lib/format";
import { newIdempotencyKey } from "@/app/lib/idempotency-key";

/** What the catalog knows about a selection right now (from the odds stream): its price, and why it cannot be taken. */
export type LivePrice = { odds: string; lockedBecause: string | null };

export type LineState =
  | { kind: "editing" }
  | { kind: "placing" }
  | { kind: "accepted"; bet: Bet }
  // A refusal holds for the live state it met (liveKey): once the price or the match's state changes, it is stale.
  | { kind: "rejected"; error: ApiError; liveKey: string }
  // The request may or may not have reached the server: only a retry with the same key and body is safe.
  | { kind: "unknown"; error: ApiError };

export type SlipLine = {
  selectionId: string;
  selectionName: string;
  matchName: string;
  stakeText: string;
  /** The price the bettor chose; a live price that moved since is what a press of Place takes (and says so). */
  odds: string;
  idempotencyKey: string;
  /** The body the key was last sent with: the same body reuses the key (a retry), a different one gets a new key. */
  sentBody: string | null;
  state: LineState;
};

export function newSlipLine(selection: { id: string; name: string; odds: string }, matchName: string): SlipLine {
  return {
    selectionId: selection.id,
    selectionName: selection.name,
    matchName,
    stakeText: "",
    odds: selection.odds,
    idempotencyKey: newIdempotencyKey(),
    sentBody: null,
    state: { kind: "editing" },
  };
}

const liveKeyOf = (live: LivePrice | undefined) => (live ? `${live.odds}|${live.lockedBecause ?? ""}` : "gone");

/** Everything the slip shows about one line, derived from the line, the live catalog, the limits and the balance. */
export type LineView = {
  line: SlipLine;
  state: LineState;
  /** The odds Place takes: the live price, except for a retry of an unconfirmed request (same body, same key). */
  odds: string;
  /** The price moved since the bettor chose it. */
  hasMoved: boolean;
  /** Why the line cannot be placed now (kill switch, match state), or null. */
  blockedBecause: string | null;
  stake: number | null;
  minStake: number;
  maxStake: number;
  stakeError: string | null;
};

export function viewLine(line: SlipLine, live: LivePrice | undefined, limits: StakeLimits, available: number, currency: string): LineView {
  const isRetry = line.state.kind === "unknown";
  const odds = isRetry || !live ? line.odds : live.odds;
  // A refusal made under another live state no longer describes the line.
  const state = line.state.kind === "rejected" && line.state.liveKey !== liveKeyOf(live) ? ({ kind: "editing" } as const) : line.state;
  const stake = parseMoney(line.stakeText);
  const maxStake = maxStakeAt(limits, parseOdds(odds), available);
  let stakeError: string | null = null;
  if (line.stakeText !== "" && !stake) stakeError = "Enter a stake like 5 or 12.50.";
  else if (stake && stake < limits.minStake) stakeError = `The minimum stake is ${formatMoney(limits.minStake, currency)}.`;
  else if (stake && stake > maxStake)
    stakeError =
      maxStake === available
        ? `That is more than your available balance (${formatMoney(available, currency)}).`
        : `The most you can stake at these odds is ${formatMoney(maxStake, currency)}.`;
  return {
    line,
    state,
    odds,
    hasMoved: odds !== line.odds,
    blockedBecause: live ? live.lockedBecause : "Betting has closed on this match",
    stake,
    minStake: limits.minStake,
    maxStake,
    stakeError,
  };
}

// The odds-change preference is remembered per browser; useSyncExternalStore reads it without a hydration mismatch.
const PREFERENCE_KEY = "bookmaker.acceptOddsChanges";
const PREFERENCE_EVENT = "bookmaker-preference";

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

type SlipContext = {
  livePrices: Map<string, LivePrice>;
  limits: StakeLimits;
  available: number;
  currency: string;
};

/** The slip's state and its API calls: one request per line, an explicit outcome per line. */
export function useBetSlip(lines: SlipLine[], setLines: Dispatch<SetStateAction<SlipLine[]>>, context: SlipContext) {
  const router = useRouter();
  const [preference, setPreference] = usePreference();
  // The bets accepted by the last press of Place, for the slip to move focus to their receipts.
  const [lastAccepted, setLastAccepted] = useState<{ betIds: string[] } | null>(null);

  const update = (selectionId: string, change: (line: SlipLine) => SlipLine) =>
    setLines((current) => current.map((l) => (l.selectionId === selectionId ? change(l) : l)));

  const views = lines.map((line) =>
    viewLine(line, context.livePrices.get(line.selectionId), context.limits, context.available, context.currency),
  );

  async function place(view: LineView): Promise<Bet | null> {
    const { line, odds, stake } = view;
    if (!stake) return null;
    const liveKey = liveKeyOf(context.livePrices.get(line.selectionId));
    const body = { selectionId: line.selectionId, stake, odds, acceptOddsChanges: preference };
    const signature = JSON.stringify(body);
    const idempotencyKey = line.sentBody === null || line.sentBody === signature ? line.idempotencyKey : newIdempotencyKey();
    update(line.selectionId, (l) => ({ ...l, odds, idempotencyKey, sentBody: signature, state: { kind: "placing" } }));
    const result = await callApi<{ bet: Bet }>("POST", "/api/bets", { ...body, idempotencyKey });
    const state: LineState = result.ok
      ? { kind: "accepted", bet: result.data.bet }
      : isOutcomeUnknown(result.status)
        ? { kind: "unknown", error: result.error }
        : { kind: "rejected", error: result.error, liveKey };
    update(line.selectionId, (l) => ({ ...l, state }));
    return result.ok ? result.data.bet : null;
  }

  async function placeViews(toSend: LineView[]) {
    const bets = (await Promise.all(toSend.map(place))).filter((b): b is Bet => b !== null);
    if (bets.length === 0) return;
    setLastAccepted({ betIds: bets.map((b) => b.id) });
    // The header shows the available balance, which drops as soon as a bet is accepted.
    router.refresh();
  }

  const open = views.filter((v) => v.state.kind !== "accepted");
  const toPlace = open.filter((v) => v.state.kind !== "placing" && v.blockedBecause === null);
  const invalid = toPlace.filter((v) => !v.stake || v.stakeError !== null);

  async function placeAll(event: FormEvent) {
    event.preventDefault();
    if (toPlace.length === 0 || invalid.length > 0) return;
    await placeViews(toPlace);
  }

  return {
    views,
    preference,
    setPreference,
    toPlaceCount: toPlace.length,
    isPlacing: views.some((v) => v.state.kind === "placing"),
    hasInvalidStake: invalid.length > 0,
    hasMovedPrice: toPlace.some((v) => v.hasMoved),
    blocked: open.filter((v) => v.blockedBecause !== null),
    hasOpenLines: open.length > 0,
    hasReceipts: views.some((v) => v.state.kind === "accepted"),
    totalStake: open.reduce((sum, v) => sum + (v.stake ?? 0), 0),
    lastAccepted,
    placeAll,
    // A new price is a new body, so place() gives it a new idempotency key.
    acceptNewOdds: (view: LineView, currentOdds: string) => void placeViews([{ ...view, odds: currentOdds }]),
    setStake: (selectionId: string, text: string) =>
      update(selectionId, (l) => ({ ...l, stakeText: text, state: l.state.kind === "rejected" ? { kind: "editing" } : l.state })),
    remove: (selectionId: string) => setLines((current) => current.filter((l) => l.selectionId !== selectionId)),
    clearReceipts: () => setLines((current) => current.filter((l) => l.state.kind !== "accepted")),
  };
}
