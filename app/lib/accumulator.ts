import { accumulatorReturn, combinedOdds, formatOdds, maxStakeWithin, parseOdds } from "@/server/odds.shared";
import { MAX_LEGS, type Bet, type OddsChangePreference } from "@/server/betting/bets.shared";
import type { StakeLimits } from "@/server/betting/stake-limits.shared";
import type { ApiError } from "./browser-api";
import { parseMoney } from "./format";
import { newIdempotencyKey } from "./idempotency-key";
import { liveKeyOf, stakeErrorOf, type LivePrice, type SlipLine } from "./slip-lines";

// The slip's accumulator: its legs are the slip's open selections, with one stake. Derived from the slip lines, the
// live catalog, the limits and the balance, like a single line (slip-lines.ts): pure, so it is unit tested.

/** The largest combined odds acceptance takes, in hundredths: the bet's odds column is a PostgreSQL integer. */
export const MAX_COMBINED_ODDS = 2_147_483_647;

export type AccumulatorState =
  | { kind: "editing" }
  | { kind: "placing" }
  // A refusal holds for the live state it met (liveKey, over every leg): once a leg's price or state changes, it is stale.
  | { kind: "rejected"; error: ApiError; liveKey: string }
  // The request may or may not have reached the server: only a retry with the same key and body is safe.
  | { kind: "unknown"; error: ApiError };

export type AccumulatorSlip = {
  stakeText: string;
  idempotencyKey: string;
  /** The body the key was last sent with: the same body reuses the key (a retry), a different one gets a new key. */
  sentBody: string | null;
  /** Each leg's odds as last sent, by selection: a retry of an unconfirmed request sends exactly these again. */
  sentOdds: Record<string, string>;
  state: AccumulatorState;
};

/** An accepted accumulator, with the names of its legs as the slip showed them. */
export type AccumulatorReceipt = { bet: Bet; legs: { selectionId: string; selectionName: string; matchName: string }[] };

export function newAccumulatorSlip(stakeText = ""): AccumulatorSlip {
  return { stakeText, idempotencyKey: newIdempotencyKey(), sentBody: null, sentOdds: {}, state: { kind: "editing" } };
}

type LegLine = Pick<SlipLine, "selectionId" | "selectionName" | "matchId" | "matchName">;

/**
 * Why these selections cannot make an accumulator, in the bettor's words (API.md: 2 to 12 legs, each on a
 * different match: two results of one match are not independent), or null when they can.
 */
export function accumulatorUnavailableBecause(legs: LegLine[]): string | null {
  if (legs.length === 0) return "Choose prices from at least two matches to build an accumulator.";
  if (legs.length === 1) return "An accumulator needs at least two selections, each from a different match: add one from another match.";
  if (legs.length > MAX_LEGS) return `An accumulator has at most ${MAX_LEGS} selections: remove ${legs.length - MAX_LEGS}.`;
  const seen = new Map<string, LegLine>();
  for (const leg of legs) {
    const first = seen.get(leg.matchId);
    if (first)
      return `Two selections from the same match cannot be combined: ${first.selectionName} and ${leg.selectionName} are both on ${leg.matchName}. Remove one of them.`;
    seen.set(leg.matchId, leg);
  }
  return null;
}

/** What the slip shows about one leg of the accumulator. */
export type LegView = {
  line: SlipLine;
  /** The odds Place takes: the live price, except for a retry of an unconfirmed request (the odds it sent). */
  odds: string;
  /** The price moved since the bettor chose it. */
  hasMoved: boolean;
  /** Why the leg cannot be taken now (kill switch, match or market state), or null. */
  blockedBecause: string | null;
  /** The price the server said this leg has now, when it refused the accumulator with ODDS_CHANGED. */
  refusedAt: string | null;
};

export type AccumulatorView = {
  legs: LegView[];
  state: AccumulatorState;
  /** Why no accumulator can be built from these selections, or null. */
  unavailableBecause: string | null;
  /** The first leg that cannot be taken now, named, with the reason; or null. */
  blockedBecause: string | null;
  /** The combined odds (two decimals, rounded down, as the server computes them). */
  odds: string;
  hasMoved: boolean;
  stake: number | null;
  minStake: number;
  maxStake: number;
  stakeError: string | null;
  /** floor(stake x product of the legs' odds): exactly what the server will promise. */
  potentialReturn: number;
  /** After an ODDS_CHANGED refusal: the combined odds and return at the prices it named, which "accept" would send. */
  atRefusedOdds: { odds: string; potentialReturn: number } | null;
};

/** The legs that moved, from an ODDS_CHANGED refusal of an accumulator ({legs: [{selectionId, currentOdds}]}). */
export function movedLegsOf(error: ApiError): Map<string, string> {
  const moved = new Map<string, string>();
  if (error.code !== "ODDS_CHANGED" || !Array.isArray(error.legs)) return moved;
  for (const leg of error.legs as unknown[]) {
    const { selectionId, currentOdds } = (leg ?? {}) as { selectionId?: unknown; currentOdds?: unknown };
    if (typeof selectionId === "string" && typeof currentOdds === "string") moved.set(selectionId, currentOdds);
  }
  return moved;
}

export const accumulatorLiveKey = (lines: SlipLine[], livePrices: Map<string, LivePrice>) =>
  lines.map((l) => `${l.selectionId}=${liveKeyOf(livePrices.get(l.selectionId))}`).join(",");

export function viewAccumulator(
  lines: SlipLine[],
  slip: AccumulatorSlip,
  livePrices: Map<string, LivePrice>,
  limits: StakeLimits,
  available: number,
  currency: string,
): AccumulatorView {
  const isRetry = slip.state.kind === "unknown";
  // A refusal made under another live state (or for other legs) no longer describes the accumulator.
  const state =
    slip.state.kind === "rejected" && slip.state.liveKey !== accumulatorLiveKey(lines, livePrices)
      ? ({ kind: "editing" } as const)
      : slip.state;
  const refused = state.kind === "rejected" ? movedLegsOf(state.error) : new Map<string, string>();
  const legs = lines.map((line): LegView => {
    const live = livePrices.get(line.selectionId);
    const odds = (isRetry ? slip.sentOdds[line.selectionId] : undefined) ?? live?.odds ?? line.odds;
    return {
      line,
      odds,
      hasMoved: odds !== line.odds,
      blockedBecause: live ? live.lockedBecause : "Betting has closed on this match",
      refusedAt: refused.get(line.selectionId) ?? null,
    };
  });
  const legOdds = legs.map((l) => parseOdds(l.odds));
  const combined = combinedOdds(legOdds);
  const blocked = legs.find((l) => l.blockedBecause !== null);
  const unavailableBecause =
    accumulatorUnavailableBecause(lines) ??
    (combined > MAX_COMBINED_ODDS
      ? `These selections combine to odds longer than ${formatOdds(MAX_COMBINED_ODDS)}, the most we accept.`
      : null);
  const stake = parseMoney(slip.stakeText);
  const maxStake = Math.max(0, Math.min(limits.maxStake, maxStakeWithin(limits.maxPayout, legOdds), available));
  return {
    legs,
    state,
    unavailableBecause,
    blockedBecause: blocked ? `${blocked.line.selectionName} (${blocked.line.matchName}): ${blocked.blockedBecause!.toLowerCase()}` : null,
    odds: formatOdds(combined),
    hasMoved: legs.some((l) => l.hasMoved),
    stake,
    minStake: limits.minStake,
    maxStake,
    stakeError: stakeErrorOf(slip.stakeText, { minStake: limits.minStake, maxStake, available }, currency),
    potentialReturn: stake ? accumulatorReturn(stake, legOdds) : 0,
    atRefusedOdds:
      refused.size > 0
        ? atOdds(
            legs.map((l) => parseOdds(l.refusedAt ?? l.odds)),
            stake,
          )
        : null,
  };
}

const atOdds = (legOdds: number[], stake: number | null) => ({
  odds: formatOdds(combinedOdds(legOdds)),
  potentialReturn: stake ? accumulatorReturn(stake, legOdds) : 0,
});

/** The accumulator can be sent as it stands: available, nothing blocked, a valid stake, not already on its way. */
export const canPlaceAccumulator = (view: AccumulatorView) =>
  view.state.kind !== "placing" &&
  view.unavailableBecause === null &&
  view.blockedBecause === null &&
  !!view.stake &&
  view.stakeError === null;

/**
 * POST /api/bets's accumulator body for the legs at the odds the slip shows, or at `newOdds` for the legs named there
 * (the bettor accepting the prices an ODDS_CHANGED refusal named). Without the key: see keyForBody.
 */
export function accumulatorBody(view: AccumulatorView, preference: OddsChangePreference, newOdds: Map<string, string> = new Map()) {
  return {
    legs: view.legs.map((leg) => ({ selectionId: leg.line.selectionId, odds: newOdds.get(leg.line.selectionId) ?? leg.odds })),
    stake: view.stake ?? 0,
    acceptOddsChanges: preference,
  };
}
