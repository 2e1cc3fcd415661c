"use client";

import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import type { MatchDto } from "@/server/catalog/match-root";
import { isListedStatus } from "@/server/catalog/listed-statuses.shared";
import { formatKickoff } from "@/app/lib/format";
import { BetSlip, newSlipLine, type LivePrice, type SlipLine } from "./bet-slip";

type Move = "up" | "down";
type Selection = MatchDto["markets"][number]["selections"][number];
export type Viewer = "bettor" | "staff" | "anonymous";
const statusLabel: Record<MatchDto["status"], string> = {
  SCHEDULED: "Not open yet",
  OPEN: "Open",
  SUSPENDED: "Suspended",
  CLOSED: "Closed",
};

function groupByCompetition(matches: MatchDto[]) {
  const groups = new Map<string, { sport: string; competition: string; matches: MatchDto[] }>();
  for (const match of [...matches].sort((a, b) => a.startsAt.localeCompare(b.startsAt))) {
    const key = `${match.sport} · ${match.competition}`;
    const group = groups.get(key) ?? { sport: match.sport, competition: match.competition, matches: [] };
    group.matches.push(match);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => a.sport.localeCompare(b.sport) || a.competition.localeCompare(b.competition));
}

type CatalogState = { matches: Map<string, MatchDto>; moves: Map<string, Move> };

/** A newer version of a match replaces it (or removes it once it leaves the catalog) and marks moved prices. */
function applyChange({ matches, moves }: CatalogState, next: MatchDto): CatalogState {
  const current = matches.get(next.id);
  if (current && current.version >= next.version) return { matches, moves };
  const before = new Map(current?.markets.flatMap((m) => m.selections.map((s) => [s.id, Number(s.odds)] as const)) ?? []);
  const nextMoves = new Map(moves);
  for (const selection of next.markets.flatMap((m) => m.selections)) {
    const was = before.get(selection.id);
    if (was !== undefined && was !== Number(selection.odds)) nextMoves.set(selection.id, Number(selection.odds) > was ? "up" : "down");
  }
  const nextMatches = new Map(matches);
  if (isListedStatus(next.status)) nextMatches.set(next.id, next);
  else nextMatches.delete(next.id);
  return { matches: nextMatches, moves: nextMoves };
}

/**
 * The catalog, kept current by the odds stream: each change replaces its match (newer versions only) and marks
 * the prices that moved up or down, without a reload. The bet slip lives here too, so it sees the same live prices.
 */
export function LiveCatalog({ initialMatches, viewer, currency }: { initialMatches: MatchDto[]; viewer: Viewer; currency: string }) {
  const [state, setState] = useState(() => ({ matches: new Map(initialMatches.map((m) => [m.id, m])), moves: new Map<string, Move>() }));
  const [isLive, setLive] = useState(false);
  const [slip, setSlip] = useState<SlipLine[]>([]);
  const [signInFor, setSignInFor] = useState<string | null>(null);

  useEffect(() => {
    const source = new EventSource("/api/odds/stream");
    source.onopen = () => setLive(true);
    source.onerror = () => setLive(false);
    source.onmessage = (event) => {
      const data = JSON.parse(event.data as string) as { type: string; match?: MatchDto };
      if (data.type === "match" && data.match) {
        const next = data.match;
        setState((current) => applyChange(current, next));
      }
    };
    return () => source.close();
  }, []);

  const { matches, moves } = state;
  const livePrices = useMemo(() => {
    const prices = new Map<string, LivePrice>();
    for (const match of matches.values()) {
      for (const market of match.markets) {
        for (const s of market.selections) prices.set(s.id, { odds: s.odds, isOpen: match.status === "OPEN" && market.status === "OPEN" });
      }
    }
    return prices;
  }, [matches]);
  const inSlip = new Set(slip.filter((l) => l.state.kind !== "accepted").map((l) => l.selectionId));

  function choose(match: MatchDto, selection: Selection) {
    const matchName = `${match.home} v ${match.away}`;
    if (viewer !== "bettor") return setSignInFor(`${selection.name} (${matchName})`);
    // A second click takes the selection out again; after a receipt, a click starts a fresh line for another bet.
    setSlip((current) => {
      const existing = current.find((l) => l.selectionId === selection.id);
      if (!existing) return [...current, newSlipLine(selection, matchName)];
      if (existing.state.kind === "accepted") return current.map((l) => (l === existing ? newSlipLine(selection, matchName) : l));
      return existing.state.kind === "placing" ? current : current.filter((l) => l !== existing);
    });
  }

  const groups = groupByCompetition([...matches.values()]);
  return (
    <div className={viewer === "staff" ? undefined : "betting-layout"}>
      <div>
        <p className="live-indicator" data-testid="live-indicator" data-live={isLive}>
          <span aria-hidden="true">●</span> {isLive ? "Live prices" : "Connecting to live prices…"}
        </p>
        {groups.length === 0 && <p className="muted">No matches are open for betting right now.</p>}
        {groups.map((group) => (
          <section key={`${group.sport}-${group.competition}`} className="competition" aria-label={`${group.sport}: ${group.competition}`}>
            <h2>
              <span className="sport">{group.sport}</span> {group.competition}
            </h2>
            <ul className="match-list">
              {group.matches.map((match) => (
                <MatchRow key={match.id} match={match} moves={moves} canChoose={viewer !== "staff"} inSlip={inSlip} onChoose={choose} />
              ))}
            </ul>
          </section>
        ))}
      </div>
      {viewer === "bettor" && <BetSlip lines={slip} setLines={setSlip} livePrices={livePrices} currency={currency} />}
      {viewer === "anonymous" && (
        <aside className="bet-slip card" aria-labelledby="bet-slip-title">
          <h2 id="bet-slip-title">Bet slip</h2>
          {/* Plain text until a price is chosen: the header already carries the sign-in and register links. */}
          {signInFor ? (
            <p role="alert" className="outcome">
              To bet on {signInFor}, <Link href="/login?next=/">sign in</Link> or <Link href="/register">register</Link> first.
            </p>
          ) : (
            <p className="muted">Sign in or register to place bets.</p>
          )}
        </aside>
      )}
    </div>
  );
}

type RowProps = {
  match: MatchDto;
  moves: Map<string, Move>;
  canChoose: boolean;
  inSlip: Set<string>;
  onChoose: (match: MatchDto, selection: Selection) => void;
};

function MatchRow({ match, moves, canChoose, inSlip, onChoose }: RowProps) {
  const market = match.markets[0];
  return (
    <li className="match" data-testid="match" data-match-id={match.id} data-version={match.version} data-status={match.status}>
      <div className="match-info">
        <p className="teams">
          {match.home} <span className="vs">v</span> {match.away}
        </p>
        <p className="kickoff">
          <time dateTime={match.startsAt}>{formatKickoff(match.startsAt)}</time>
          {match.status !== "OPEN" && <span className={`status status-${match.status.toLowerCase()}`}>{statusLabel[match.status]}</span>}
        </p>
      </div>
      {market && (
        <ul className="prices" aria-label={`${market.name}: ${match.home} v ${match.away}`}>
          {market.selections.map((selection) => {
            const move = moves.get(selection.id);
            const content = (
              <>
                <span className="price-name">{selection.name}</span>
                <span className="price-odds" data-testid="odds">
                  {selection.odds}
                  {move && <span className="sr-only">{move === "up" ? " (up)" : " (down)"}</span>}
                  {move && (
                    <span aria-hidden="true" className="price-arrow">
                      {move === "up" ? "▲" : "▼"}
                    </span>
                  )}
                </span>
              </>
            );
            const isChosen = inSlip.has(selection.id);
            return (
              <li
                key={selection.id}
                className={`price${move ? ` price-${move}` : ""}${isChosen ? " price-chosen" : ""}`}
                data-selection-id={selection.id}
                data-move={move}
              >
                {canChoose ? (
                  <button type="button" className="price-button" aria-pressed={isChosen} onClick={() => onChoose(match, selection)}>
                    {content}
                  </button>
                ) : (
                  content
                )}
              </li>
            );
          })}
        </ul>
      )}
    </li>
  );
}
