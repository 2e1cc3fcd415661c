import { parseOdds } from "@/server/odds.shared";
import type { Bet } from "@/server/betting/bets.shared";
import { maxStakeAt, type StakeLimits } from "@/server/betting/stake-limits.shared";
import type { ApiError } from "./browser-api";
import { formatMoney, parseMoney } from "./format";
import { newIdempotencyKey } from "./idempotency-key";

// A bet slip line and what the slip shows about it, derived from the live catalog: pure, so it is unit tested.

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

export const liveKeyOf = (live: LivePrice | undefined) => (live ? `${live.odds}|${live.lockedBecause ?? ""}` : "gone");

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
