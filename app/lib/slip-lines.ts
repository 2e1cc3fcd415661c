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
  /** The selection's match: an accumulator takes at most one selection from each. */
  matchId: string;
  matchName: string;
  stakeText: string;
  /** The price the bettor chose; a live price that moved since is what a press of Place takes (and says so). */
  odds: string;
  idempotencyKey: string;
  /** The body the key was last sent with: the same body reuses the key (a retry), a different one gets a new key. */
  sentBody: string | null;
  state: LineState;
};

export const matchNameOf = (match: { home: string; away: string }) => `${match.home} v ${match.away}`;

export function newSlipLine(
  selection: { id: string; name: string; odds: string },
  match: { id: string; home: string; away: string },
): SlipLine {
  return {
    selectionId: selection.id,
    selectionName: selection.name,
    matchId: match.id,
    matchName: matchNameOf(match),
    stakeText: "",
    odds: selection.odds,
    idempotencyKey: newIdempotencyKey(),
    sentBody: null,
    state: { kind: "editing" },
  };
}

/** Failures where the bet may have been taken: the request keeps its key and body until a retry gets an answer. */
export const isOutcomeUnknown = (status: number) => status === 0 || status >= 500;

export const liveKeyOf = (live: LivePrice | undefined) => (live ? `${live.odds}|${live.lockedBecause ?? ""}` : "gone");

/**
 * The idempotency key for a request body: the key it was last sent with when the body is the same (a retry after
 * an unknown outcome must be recognised as the same bet), a fresh one for a different body (a new bet).
 */
export function keyForBody(sent: { idempotencyKey: string; sentBody: string | null }, body: string): string {
  return sent.sentBody === null || sent.sentBody === body ? sent.idempotencyKey : newIdempotencyKey();
}

/** Why a stake cannot be sent, in the bettor's currency, before any refusal teaches them; null when it can. */
export function stakeErrorOf(
  stakeText: string,
  limits: { minStake: number; maxStake: number; available: number },
  currency: string,
): string | null {
  const stake = parseMoney(stakeText);
  if (stakeText !== "" && !stake) return "Enter a stake like 5 or 12.50.";
  if (stake && stake < limits.minStake) return `The minimum stake is ${formatMoney(limits.minStake, currency)}.`;
  if (stake && stake > limits.maxStake)
    return limits.maxStake === limits.available
      ? `That is more than your available balance (${formatMoney(limits.available, currency)}).`
      : `The most you can stake at these odds is ${formatMoney(limits.maxStake, currency)}.`;
  return null;
}

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
  const stakeError = stakeErrorOf(line.stakeText, { minStake: limits.minStake, maxStake, available }, currency);
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
