"use client";

import Link from "next/link";
import type { MatchDto } from "@/server/catalog/match-root";
import type { StakeLimits } from "@/server/betting/stake-limits.shared";
import { marketStateOf, type BettingState } from "@/app/lib/catalog-view";
import { describeResult } from "@/app/lib/match-result-words";
import { BettingPaused, LiveIndicator, statusLabel } from "./live-catalog";
import { LocalTime } from "./local-time";
import { MarketPrices } from "./market-prices";
import { SlipSide, useChoosePrice, type Viewer } from "./slip-side";
import { useLiveCatalog } from "./use-live-catalog";

type Props = {
  matchId: string;
  /** The match and the rest of the catalog: the slip checks selections from other matches against their live prices too. */
  initialMatches: MatchDto[];
  initialBetting: BettingState;
  viewer: Viewer;
  currency: string;
  limits: StakeLimits;
  available: number;
};

/** Why a match's prices cannot be taken as a whole, or null while it is open. */
function matchNotice(match: MatchDto): string | null {
  switch (match.status) {
    case "SUSPENDED":
      return "Betting on this match is suspended for the moment. The prices are shown for information; this page updates by itself when it resumes.";
    case "SCHEDULED":
      return "Betting on this match has not opened yet.";
    case "CLOSED":
      return `Betting has closed on this match. ${describeResult(match)}${match.settlementState === "SETTLED" ? " Bets on it are settled." : ""}`;
    default:
      return null;
  }
}

/**
 * One match with all its markets, kept current by the same odds stream as the catalog (its match is kept once it
 * closes, to show it so), and the same bet slip beside it.
 */
export function LiveMatch({ matchId, initialMatches, initialBetting, viewer, currency, limits, available }: Props) {
  const { matches, moves, betting, isLive, livePrices } = useLiveCatalog(initialMatches, initialBetting, matchId);
  const { choose, inSlip, signInFor } = useChoosePrice(viewer);
  const match = matches.get(matchId) ?? initialMatches.find((m) => m.id === matchId)!;
  const notice = matchNotice(match);
  return (
    <div className={viewer === "staff" ? undefined : "betting-layout"}>
      <div className="match-page" data-testid="match-page" data-match-id={match.id} data-status={match.status} data-version={match.version}>
        <p className="match-meta">
          <span className="sport">{match.sport}</span> {match.competition} · <LocalTime iso={match.startsAt} />{" "}
          <span className={`status status-${match.status.toLowerCase()}`} data-testid="match-status">
            {statusLabel[match.status]}
          </span>
        </p>
        <LiveIndicator isLive={isLive} />
        <BettingPaused betting={betting} />
        <div role="status">
          {notice && (
            <p className="banner banner-warn" data-testid="match-notice">
              {notice}
            </p>
          )}
        </div>
        <div className="match-markets">
          {match.markets.map((market) => {
            const { state, label } = marketStateOf(match, market);
            return (
              <section
                key={market.id}
                className="card match-market"
                aria-labelledby={`market-${market.id}`}
                data-testid="market"
                data-market-id={market.id}
                data-state={state}
              >
                <h2 id={`market-${market.id}`}>
                  {market.name}{" "}
                  <span className={`market-state market-state-${state}`} data-testid="market-state">
                    {label}
                  </span>
                </h2>
                <MarketPrices
                  match={match}
                  market={market}
                  moves={moves}
                  betting={betting}
                  canChoose={viewer !== "staff"}
                  inSlip={inSlip}
                  onChoose={choose}
                />
              </section>
            );
          })}
        </div>
        <p>
          <Link href="/">All matches</Link>
        </p>
      </div>
      <SlipSide
        viewer={viewer}
        signInFor={signInFor}
        returnTo={`/matches/${matchId}`}
        livePrices={livePrices}
        currency={currency}
        limits={limits}
        available={available}
      />
    </div>
  );
}
