"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { Bet, OddsChangePreference } from "@/server/betting/bets.shared";
import {
  accumulatorBody,
  accumulatorLiveKey,
  canPlaceAccumulator,
  movedLegsOf,
  newAccumulatorSlip,
  viewAccumulator,
  type AccumulatorState,
} from "@/app/lib/accumulator";
import { callApi } from "@/app/lib/browser-api";
import { isOutcomeUnknown, keyForBody, type SlipLine } from "@/app/lib/slip-lines";
import { useSlipState } from "./slip-provider";
import type { SlipContext } from "./use-bet-slip";

/**
 * The accumulator built from the slip's open selections and its API call, with the singles' key discipline: the
 * same body is sent with the same idempotency key (a retry after an unknown outcome can never place it twice), a
 * different body (another stake, a leg more or less, accepted new odds) with a new one.
 */
export function useAccumulator(context: SlipContext & { preference: OddsChangePreference }) {
  const router = useRouter();
  const {
    lines: [lines, setLines],
    accumulator: [slip, setSlip],
    accumulatorReceipts: [receipts, setReceipts],
  } = useSlipState();
  // The accumulator accepted last, for the slip to move focus to its receipt.
  const [lastAccepted, setLastAccepted] = useState<string | null>(null);

  const legLines = lines.filter((l) => l.state.kind !== "accepted");
  const view = viewAccumulator(legLines, slip, context.livePrices, context.limits, context.available, context.currency);

  // The refusal named the legs that moved and their prices: Place now means "accept those and place".
  const isOddsRefusal = view.state.kind === "rejected" && view.atRefusedOdds !== null;

  /** Sends the accumulator at the odds shown, or at `newOdds` for the legs a refusal said had moved. */
  async function place(newOdds?: Map<string, string>) {
    if (!canPlaceAccumulator(view)) return;
    const body = accumulatorBody(view, context.preference, newOdds);
    const signature = JSON.stringify(body);
    const idempotencyKey = keyForBody(slip, signature);
    const liveKey = accumulatorLiveKey(legLines, context.livePrices);
    const sentOdds = Object.fromEntries(body.legs.map((leg) => [leg.selectionId, leg.odds]));
    setSlip((s) => ({ ...s, idempotencyKey, sentBody: signature, sentOdds, state: { kind: "placing" } }));
    const result = await callApi<{ bet: Bet }>("POST", "/api/bets", { ...body, idempotencyKey });
    if (result.ok) {
      const bet = result.data.bet;
      const legs = legLines.map(({ selectionId, selectionName, matchName }) => ({ selectionId, selectionName, matchName }));
      setReceipts((current) => [...current, { bet, legs }]);
      // Its selections went into the accumulator: the slip starts afresh (a click on a price adds one again). A line
      // whose single is on its way or unconfirmed stays, so that single can still be sent again with its key.
      const isIdle = (l: SlipLine) => l.state.kind === "editing" || l.state.kind === "rejected";
      setLines((current) => current.filter((l) => !(isIdle(l) && l.selectionId in sentOdds)));
      setSlip(newAccumulatorSlip());
      setLastAccepted(bet.id);
      // The header shows the available balance, which drops as soon as a bet is accepted.
      router.refresh();
      return;
    }
    const state: AccumulatorState = isOutcomeUnknown(result.status)
      ? { kind: "unknown", error: result.error }
      : { kind: "rejected", error: result.error, liveKey };
    setSlip((s) => ({ ...s, state }));
  }

  return {
    view,
    stakeText: slip.stakeText,
    receipts,
    lastAccepted,
    isPlacing: view.state.kind === "placing",
    canPlace: canPlaceAccumulator(view),
    isOddsRefusal,
    // After an ODDS_CHANGED refusal, Place takes the prices it named: a new body, so place() gives it a new key.
    place: () => void place(isOddsRefusal && view.state.kind === "rejected" ? movedLegsOf(view.state.error) : undefined),
    setStake: (text: string) =>
      setSlip((s) => ({ ...s, stakeText: text, state: s.state.kind === "rejected" ? { kind: "editing" } : s.state })),
    clearReceipts: () => setReceipts([]),
  };
}
