"use client";

import { Odds } from "./odds";
import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import type { MatchDto } from "@/server/catalog/match-root";
import type { StakeLimits } from "@/server/betting/stake-limits.shared";
import {
  applyChange,
  competitionsOf,
  groupByCompetition,
  lockReason,
  noFilter,
  STARTING_SOON_HOURS,
  withoutOldMoves,
  type BettingState,
  type CatalogFilter,
  type CatalogState,
  type Move,
} from "@/app/lib/catalog-view";
import { LocalTime } from "./local-time";
import { BetSlip, newSlipLine, type LivePrice, type SlipLine } from "./bet-slip";

type Selection = MatchDto["markets"][number]["selections"][number];
export type Viewer = "bettor" | "staff" | "anonymous";
const statusLabel: Record<MatchDto["status"], string> = {
  SCHEDULED: "Not open yet",
  OPEN: "Open",
  SUSPENDED: "Suspended",
  CLOSED: "Closed",
};

type Props = {
  initialMatches: MatchDto[];
  initialBetting: BettingState;
  viewer: Viewer;
  currency: string;
  limits: StakeLimits;
  available: number;
};

/**
 * The catalog, kept current by the odds stream: each change replaces its match (newer versions only) and marks
 * the prices that moved up or down, without a reload; the kill switch arrives on the same stream. The bet slip
 * lives here too, so it sees the same live prices and states.
 */
export function LiveCatalog({ initialMatches, initialBetting, viewer, currency, limits, available }: Props) {
  const [state, setState] = useState<CatalogState>(() => ({ matches: new Map(initialMatches.map((m) => [m.id, m])), moves: new Map() }));
  const [betting, setBetting] = useState(initialBetting);
  const [isLive, setLive] = useState(false);
  const [slip, setSlip] = useState<SlipLine[]>([]);
  const [chosen, setChosen] = useState<{ selectionId: string } | null>(null);
  const [isSlipOpen, setSlipOpen] = useState(false);
  const [signInFor, setSignInFor] = useState<string | null>(null);
  const [filter, setFilter] = useState<CatalogFilter>(noFilter);

  useEffect(() => {
    const source = new EventSource("/api/odds/stream");
    source.onopen = () => setLive(true);
    source.onerror = () => setLive(false);
    source.onmessage = (event) => {
      const data = JSON.parse(event.data as string) as { type: string; match?: MatchDto; suspended?: boolean; version?: number };
      if (data.type === "match" && data.match) {
        const next = data.match;
        setState((current) => applyChange(current, next, Date.now()));
      } else if (data.type === "betting" && typeof data.suspended === "boolean" && typeof data.version === "number") {
        const next = { suspended: data.suspended, version: data.version };
        setBetting((current) => (next.version >= current.version ? next : current));
      }
    };
    return () => source.close();
  }, []);

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
  const inSlip = new Set(slip.filter((l) => l.state.kind !== "accepted").map((l) => l.selectionId));

  function choose(match: MatchDto, selection: Selection, isLocked: boolean) {
    const matchName = `${match.home} v ${match.away}`;
    if (viewer !== "bettor") return setSignInFor(`${selection.name} (${matchName})`);
    const existing = slip.find((l) => l.selectionId === selection.id);
    if (existing && existing.state.kind !== "accepted") {
      // A second click takes the selection out again (not while it is being placed).
      if (existing.state.kind !== "placing") setSlip(slip.filter((l) => l !== existing));
      return;
    }
    if (isLocked) return; // a locked price cannot be added
    // After a receipt, a click starts a fresh line for another bet.
    const line = newSlipLine(selection, matchName);
    setSlip(existing ? slip.map((l) => (l === existing ? line : l)) : [...slip, line]);
    setChosen({ selectionId: selection.id });
    setSlipOpen(true);
  }

  const groups = groupByCompetition([...matches.values()], filter);
  return (
    <div className={viewer === "staff" ? undefined : "betting-layout"}>
      <div>
        <p className="live-indicator" data-testid="live-indicator" data-live={isLive}>
          <span aria-hidden="true">●</span> {isLive ? "Live prices" : "Connecting to live prices…"}
        </p>
        <div role="status" className="betting-banner-region">
          {betting.suspended && (
            <p className="banner banner-warn" data-testid="betting-paused">
              <strong>Betting is paused.</strong> No bets can be placed at the moment; prices are shown for information and this page
              updates by itself when betting resumes.
            </p>
          )}
        </div>
        <CatalogFilters filter={filter} onChange={setFilter} competitions={competitionsOf(matches.values())} />
        {groups.length === 0 && (
          <p className="muted">{filter === noFilter ? "No matches are open for betting right now." : "No match fits these filters."}</p>
        )}
        {groups.map((group) => (
          <section key={group.key} className="competition" aria-label={`${group.sport}: ${group.competition}`}>
            <h2>
              <span className="sport">{group.sport}</span> {group.competition}
            </h2>
            <ul className="match-list">
              {group.matches.map((match) => (
                <MatchRow
                  key={match.id}
                  match={match}
                  moves={moves}
                  betting={betting}
                  canChoose={viewer !== "staff"}
                  inSlip={inSlip}
                  onChoose={choose}
                />
              ))}
            </ul>
          </section>
        ))}
      </div>
      {viewer === "bettor" && (
        <BetSlip
          lines={slip}
          setLines={setSlip}
          livePrices={livePrices}
          currency={currency}
          limits={limits}
          available={available}
          chosen={chosen}
          isOpen={isSlipOpen}
          setOpen={setSlipOpen}
        />
      )}
      {viewer === "anonymous" && (
        <aside className="bet-slip bet-slip-anonymous card is-open" aria-labelledby="bet-slip-title">
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

function CatalogFilters({
  filter,
  onChange,
  competitions,
}: {
  filter: CatalogFilter;
  onChange: (filter: CatalogFilter) => void;
  competitions: string[];
}) {
  return (
    <search className="catalog-filters" aria-label="Find a match">
      <div className="field">
        <label htmlFor="catalog-search">Search teams or competitions</label>
        <input
          id="catalog-search"
          type="search"
          value={filter.query}
          onChange={(e) => onChange({ ...filter, query: e.target.value })}
          autoComplete="off"
        />
      </div>
      <div className="field">
        <label htmlFor="catalog-competition">Competition</label>
        <select id="catalog-competition" value={filter.competition} onChange={(e) => onChange({ ...filter, competition: e.target.value })}>
          <option value="">All sports and competitions</option>
          {competitions.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </div>
      <label className="choice">
        <input
          type="checkbox"
          checked={filter.startsBefore !== null}
          onChange={(e) => onChange({ ...filter, startsBefore: e.target.checked ? Date.now() + STARTING_SOON_HOURS * 3_600_000 : null })}
        />
        Starting in the next {STARTING_SOON_HOURS} hours
      </label>
    </search>
  );
}

type RowProps = {
  match: MatchDto;
  moves: CatalogState["moves"];
  betting: BettingState;
  canChoose: boolean;
  inSlip: Set<string>;
  onChoose: (match: MatchDto, selection: Selection, isLocked: boolean) => void;
};

function MatchRow({ match, ...rest }: RowProps) {
  const [main, ...others] = match.markets;
  return (
    <li className="match" data-testid="match" data-match-id={match.id} data-version={match.version} data-status={match.status}>
      <div className="match-info">
        <p className="teams">
          {match.home} <span className="vs">v</span> {match.away}
        </p>
        <p className="kickoff">
          <LocalTime iso={match.startsAt} />
          {match.status !== "OPEN" && <span className={`status status-${match.status.toLowerCase()}`}>{statusLabel[match.status]}</span>}
        </p>
      </div>
      {main && <MarketPrices match={match} market={main} {...rest} />}
      {others.length > 0 && (
        <details className="more-markets" data-testid="more-markets">
          <summary>More markets ({others.length})</summary>
          {others.map((market) => (
            <div key={market.id} className="market">
              <p className="market-name">{market.name}</p>
              <MarketPrices match={match} market={market} {...rest} />
            </div>
          ))}
        </details>
      )}
    </li>
  );
}

/** One market's prices, each a button that adds it to the slip (locked while the market or match is not open). */
function MarketPrices({ match, market, moves, betting, canChoose, inSlip, onChoose }: RowProps & { market: MatchDto["markets"][number] }) {
  const locked = lockReason(match, market, betting);
  return (
    <ul className="prices" aria-label={`${market.name}: ${match.home} v ${match.away}`}>
      {market.selections.map((selection) => (
        <Price
          key={selection.id}
          selection={selection}
          move={moves.get(selection.id)?.move}
          locked={locked}
          isChosen={inSlip.has(selection.id)}
          onChoose={canChoose ? () => onChoose(match, selection, locked !== null) : null}
        />
      ))}
    </ul>
  );
}

function Price({
  selection,
  move,
  locked,
  isChosen,
  onChoose,
}: {
  selection: Selection;
  move: Move | undefined;
  locked: string | null;
  isChosen: boolean;
  onChoose: (() => void) | null;
}) {
  const content = (
    <>
      <span className="price-name">{selection.name}</span>{" "}
      <span className="price-odds" data-testid="odds">
        <Odds value={selection.odds} />
        {move && <span className="sr-only">{move === "up" ? " (up)" : " (down)"}</span>}
        {move && (
          <span aria-hidden="true" className="price-arrow">
            {move === "up" ? "▲" : "▼"}
          </span>
        )}
      </span>
      {locked && <span className="sr-only">, {locked.toLowerCase()}</span>}
    </>
  );
  const classes = ["price", move && `price-${move}`, isChosen && "price-chosen", locked && "price-locked"].filter(Boolean).join(" ");
  return (
    <li className={classes} data-selection-id={selection.id} data-move={move} data-locked={locked !== null}>
      {onChoose ? (
        <button
          type="button"
          className="price-button"
          aria-pressed={isChosen}
          aria-disabled={locked !== null && !isChosen}
          title={locked ?? undefined}
          onClick={onChoose}
        >
          {content}
        </button>
      ) : (
        content
      )}
    </li>
  );
}
