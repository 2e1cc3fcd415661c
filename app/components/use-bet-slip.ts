"use client";

import { useRouter } from "next/navigation";
import { useState, useSyncExternalStore, type Dispatch, type FormEvent, type SetStateAction } from "react";
import { ODDS_CHANGE_PREFERENCES, type Bet, type OddsChangePreference } from "@/server/betting/bets.shared";
import type { StakeLimits } from "@/server/betting/stake-limits.shared";
import { callApi } from "@/app/lib/browser-api";
import {
  isOutcomeUnknown,
  keyForBody,
  liveKeyOf,
  viewLine,
  type LineState,
  type LineView,
  type LivePrice,
  type SlipLine,
} from "@/app/lib/slip-lines";

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

export type SlipContext = {
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
    const idempotencyKey = keyForBody(line, signature);
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
