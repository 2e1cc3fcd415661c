"use client";

import { useEffect, useMemo, useState } from "react";
import type { MatchDto } from "@/server/catalog/match-root";
import { applyChange, lockReason, withoutOldMoves, type BettingState, type CatalogState } from "@/app/lib/catalog-view";
import type { LivePrice } from "@/app/lib/slip-lines";

/**
 * The matches as the odds stream keeps them: each change replaces its match (newer versions only) and marks the
 * prices that moved up or down, without a reload; the kill switch arrives on the same stream. Shared by the catalog
 * and a match's page, which keeps its own match (`keep`) even once it leaves the catalog (closed), to show it so.
 * `livePrices` is what the bet slip checks its selections against.
 */
export function useLiveCatalog(initialMatches: MatchDto[], initialBetting: BettingState, keep?: string) {
  const [state, setState] = useState<CatalogState>(() => ({ matches: new Map(initialMatches.map((m) => [m.id, m])), moves: new Map() }));
  const [betting, setBetting] = useState(initialBetting);
  const [isLive, setLive] = useState(false);

  useEffect(() => {
    const source = new EventSource("/api/odds/stream");
    source.onopen = () => setLive(true);
    source.onerror = () => setLive(false);
    source.onmessage = (event) => {
      const data = JSON.parse(event.data as string) as { type: string; match?: MatchDto; suspended?: boolean; version?: number };
      if (data.type === "match" && data.match) {
        const next = data.match;
        setState((current) => applyChange(current, next, Date.now(), keep));
      } else if (data.type === "betting" && typeof data.suspended === "boolean" && typeof data.version === "number") {
        const next = { suspended: data.suspended, version: data.version };
        setBetting((current) => (next.version >= current.version ? next : current));
      }
    };
    return () => source.close();
  }, [keep]);

  // Arrows fade: every second, moves older than MOVE_VISIBLE_MS are dropped (no timer without moves).
  const hasMoves = state.moves.size > 0;
  useEffect(() => {
    if (!hasMoves) return;
    const timer = setInterval(() => setState((current) => withoutOldMoves(current, Date.now())), 1_000);
    return () => clearInterval(timer);
  }, [hasMoves]);

  const { matches, moves } = state;
  const livePrices = useMemo(() => {
    const prices = new Map<string, LivePrice>();
    for (const match of matches.values()) {
      for (const market of match.markets) {
        for (const s of market.selections) prices.set(s.id, { odds: s.odds, lockedBecause: lockReason(match, market, betting) });
      }
    }
    return prices;
  }, [matches, betting]);

  return { matches, moves, betting, isLive, livePrices };
}
