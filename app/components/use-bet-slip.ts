"use client";

import { useRouter } from "next/navigation";
import { useSyncExternalStore, type Dispatch, type FormEvent, type SetStateAction } from "react";
import { ODDS_CHANGE_PREFERENCES, type Bet, type OddsChangePreference } from "@/server/betting/bets.shared";
import { callApi, type ApiError } from "@/app/lib/browser-api";
import { parseMoney } from "@/app/lib/format";
import { newIdempotencyKey } from "@/app/lib/idempotency-key";

/** What the catalog knows about a selection right now (from the odds stream). */
export type LivePrice = { odds: string; isOpen: boolean };

export type LineState =
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

/** The slip's state and its API calls: one request per line, an explicit outcome per line. */
export function useBetSlip(lines: SlipLine[], setLines: Dispatch<SetStateAction<SlipLine[]>>) {
  const router = useRouter();
  const [preference, setPreference] = usePreference();

  const update = (selectionId: string, change: (line: SlipLine) => SlipLine) =>
    setLines((current) => current.map((l) => (l.selectionId === selectionId ? change(l) : l)));

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
  const invalid = toPlace.filter((l) => !parseMoney(l.stakeText));
  const openLines = lines.filter((l) => l.state.kind !== "accepted");

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

  return {
    preference,
    setPreference,
    toPlaceCount: toPlace.length,
    isPlacing: lines.some((l) => l.state.kind === "placing"),
    hasInvalidStake: invalid.length > 0,
    hasOpenLines: openLines.length > 0,
    hasReceipts: lines.some((l) => l.state.kind === "accepted"),
    totalStake: openLines.reduce((sum, l) => sum + (parseMoney(l.stakeText) ?? 0), 0),
    placeAll,
    acceptNewOdds: (line: SlipLine, currentOdds: string) => void acceptNewOdds(line, currentOdds),
    setStake: (selectionId: string, text: string) =>
      update(selectionId, (l) => ({ ...l, stakeText: text, state: l.state.kind === "rejected" ? { kind: "editing" } : l.state })),
    remove: (selectionId: string) => setLines((current) => current.filter((l) => l.selectionId !== selectionId)),
    clearReceipts: () => setLines((current) => current.filter((l) => l.state.kind !== "accepted")),
  };
}
