"use client";

import Link from "next/link";
import { useState } from "react";
import type { MatchDto } from "@/server/catalog/match-root";
import type { StakeLimits } from "@/server/betting/stake-limits.shared";
import { matchNameOf, newSlipLine, type LivePrice } from "@/app/lib/slip-lines";
import { BetSlip } from "./bet-slip";
import type { Selection } from "./market-prices";
import { useSlipState } from "./slip-provider";

export type Viewer = "bettor" | "staff" | "anonymous";

/** What a click on a price does: a bettor's goes to the slip (or out of it again), anyone else is asked to sign in. */
export function useChoosePrice(viewer: Viewer) {
  const {
    lines: [slip, setSlip],
    chosen: [, setChosen],
    isOpen: [, setSlipOpen],
  } = useSlipState();
  const [signInFor, setSignInFor] = useState<string | null>(null);

  function choose(match: MatchDto, selection: Selection, isLocked: boolean) {
    if (viewer !== "bettor") return setSignInFor(`${selection.name} (${matchNameOf(match)})`);
    const existing = slip.find((l) => l.selectionId === selection.id);
    if (existing && existing.state.kind !== "accepted") {
      // A second click takes the selection out again (not while it is being placed).
      if (existing.state.kind !== "placing") setSlip(slip.filter((l) => l !== existing));
      return;
    }
    if (isLocked) return; // a locked price cannot be added
    // After a receipt, a click starts a fresh line for another bet.
    const line = newSlipLine(selection, match);
    setSlip(existing ? slip.map((l) => (l === existing ? line : l)) : [...slip, line]);
    setChosen({ selectionId: selection.id });
    setSlipOpen(true);
  }

  const inSlip = new Set(slip.filter((l) => l.state.kind !== "accepted").map((l) => l.selectionId));
  return { choose, inSlip, signInFor };
}

type Props = {
  viewer: Viewer;
  signInFor: string | null;
  livePrices: Map<string, LivePrice>;
  currency: string;
  limits: StakeLimits;
  available: number;
  /** Where signing in brings the visitor back to. */
  returnTo: string;
};

/** Beside the prices: the bettor's slip, a sign-in prompt for visitors, nothing for staff. */
export function SlipSide({ viewer, signInFor, returnTo, ...slip }: Props) {
  if (viewer === "bettor") return <BetSlip {...slip} />;
  if (viewer === "staff") return null;
  return (
    <aside className="bet-slip bet-slip-anonymous card is-open" aria-labelledby="bet-slip-title">
      <h2 id="bet-slip-title">Bet slip</h2>
      {/* Plain text until a price is chosen: the header already carries the sign-in and register links. */}
      {signInFor ? (
        <p role="alert" className="outcome">
          To bet on {signInFor}, <Link href={`/login?next=${encodeURIComponent(returnTo)}`}>sign in</Link> or{" "}
          <Link href="/register">register</Link> first.
        </p>
      ) : (
        <p className="muted">Sign in or register to place bets.</p>
      )}
    </aside>
  );
}
