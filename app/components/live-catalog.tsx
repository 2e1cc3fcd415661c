"use client";

import Link from "next/link";
import { useState } from "react";
import type { MatchDto } from "@/server/catalog/match-root";
import type { StakeLimits } from "@/server/betting/stake-limits.shared";
import {
  competitionsOf,
  groupByCompetition,
  noFilter,
  STARTING_SOON_HOURS,
  type BettingState,
  type CatalogFilter,
  type CatalogState,
} from "@/app/lib/catalog-view";
import { LocalTime } from "./local-time";
import { MarketPrices, type Selection } from "./market-prices";
import { SlipSide, useChoosePrice, type Viewer } from "./slip-side";
import { useLiveCatalog } from "./use-live-catalog";

export type { Viewer } from "./slip-side";

export const statusLabel: Record<MatchDto["status"], string> = {
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
 * The catalog, kept current by the odds stream (useLiveCatalog). The bet slip sits beside it and sees the same live
 * prices and states; each match's name leads to its page, with all its markets.
 */
export function LiveCatalog({ initialMatches, initialBetting, viewer, currency, limits, available }: Props) {
  const { matches, moves, betting, isLive, livePrices } = useLiveCatalog(initialMatches, initialBetting);
  const { choose, inSlip, signInFor } = useChoosePrice(viewer);
  const [filter, setFilter] = useState<CatalogFilter>(noFilter);

  const groups = groupByCompetition([...matches.values()], filter);
  return (
    <div className={viewer === "staff" ? undefined : "betting-layout"}>
      <div>
        <LiveIndicator isLive={isLive} />
        <BettingPaused betting={betting} />
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
      <SlipSide
        viewer={viewer}
        signInFor={signInFor}
        returnTo="/"
        livePrices={livePrices}
        currency={currency}
        limits={limits}
        available={available}
      />
    </div>
  );
}

export function LiveIndicator({ isLive }: { isLive: boolean }) {
  return (
    <p className="live-indicator" data-testid="live-indicator" data-live={isLive}>
      <span aria-hidden="true">●</span> {isLive ? "Live prices" : "Connecting to live prices…"}
    </p>
  );
}

/** The kill switch as bettors see it, announced when it flips. */
export function BettingPaused({ betting }: { betting: BettingState }) {
  return (
    <div role="status" className="betting-banner-region">
      {betting.suspended && (
        <p className="banner banner-warn" data-testid="betting-paused">
          <strong>Betting is paused.</strong> No bets can be placed at the moment; prices are shown for information and this page updates by
          itself when betting resumes.
        </p>
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
          <Link href={`/matches/${match.id}`} className="match-link" data-testid="match-link">
            {match.home} <span className="vs">v</span> {match.away}
          </Link>
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
