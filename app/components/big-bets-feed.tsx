"use client";

import type { BigBet } from "@/server/risk/liability";
import { formatDateTime, formatMoney } from "@/app/lib/format";
import { usePolled } from "@/app/lib/use-polled";

const REFRESH_MS = 2_000;

/** The traders' feed of big bets, straight from the acceptance step (bets still in the queue included). */
export function BigBetsFeed({ bigBetStake }: { bigBetStake: number }) {
  const feed = usePolled<{ bets: BigBet[] }>("/api/admin/big-bets?limit=20", REFRESH_MS);
  return (
    <section className="card" aria-labelledby="big-bets-title">
      <h2 id="big-bets-title">Big bets</h2>
      <p className="muted">Stakes of {formatMoney(bigBetStake)} or more, live.</p>
      {feed && feed.bets.length === 0 && <p>None yet.</p>}
      <ul aria-live="polite" data-testid="big-bets">
        {feed?.bets.map((bet) => {
          const legs = bet.legs.split(";").map((leg) => leg.split(":"));
          return (
            <li key={bet.betId} data-testid="big-bet" data-bet-id={bet.betId}>
              <strong>{formatMoney(bet.stake)}</strong> to return {formatMoney(bet.potentialReturn)} ·{" "}
              <a href={`/admin/matches/${legs[0]![1]}`}>{legs.length === 1 ? "single" : `${legs.length}-leg accumulator`}</a> · bettor{" "}
              {bet.userId.slice(0, 8)} · {formatDateTime(bet.at)}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
