"use client";

import type { MatchDto } from "@/server/catalog/match-root";
import type { MatchLiability } from "@/server/risk/liability";
import { parseOdds } from "@/server/odds.shared";
import { formatMoney } from "@/app/lib/format";
import { usePolled } from "@/app/lib/use-polled";
import { TableScroll } from "./table-scroll";

// Live enough for a trader, light enough for Redis: one HGETALL per partition every two seconds.
const REFRESH_MS = 2_000;

/** The market's overround: the sum of the implied probabilities of its prices, in percent (100 is a fair book). */
const bookPercentage = (selections: { odds: string }[]) => selections.reduce((sum, s) => sum + 10_000 / parseOdds(s.odds), 0);

/** A match's live liability per selection (bets still in the write-behind queue included), against its cap. */
export function LiabilityPanel({ match }: { match: MatchDto }) {
  const liability = usePolled<MatchLiability>(`/api/admin/matches/${match.id}/liability`, REFRESH_MS);
  const figures = new Map(liability?.markets.flatMap((m) => m.selections.map((s) => [s.selectionId, s])) ?? []);
  return (
    <section className="card liability" aria-labelledby="liability-title">
      <h2 id="liability-title">Liability</h2>
      <p className="muted">
        Live from the acceptance step, bets not yet in PostgreSQL included. Cap per selection:{" "}
        <strong data-testid="liability-cap">{liability ? formatMoney(liability.maxLiability) : "…"}</strong>
      </p>
      {match.markets.map((market) => (
        <TableScroll key={market.id} label={`Liability: ${market.name}`}>
          <table className="table table-cards" data-testid="liability-market" data-market-id={market.id}>
            <caption>
              {market.name} · book {bookPercentage(market.selections).toFixed(1)}%
            </caption>
            <thead>
              <tr>
                <th scope="col">Selection</th>
                <th scope="col">Odds</th>
                <th scope="col">Bets</th>
                <th scope="col">Stakes</th>
                <th scope="col">Potential payout</th>
                <th scope="col">Liability</th>
              </tr>
            </thead>
            <tbody>
              {market.selections.map((s) => {
                const f = figures.get(s.id);
                const share = f && liability && liability.maxLiability > 0 ? Math.max(0, f.liability) / liability.maxLiability : 0;
                return (
                  <tr key={s.id} data-testid="liability-row" data-selection-id={s.id}>
                    <td>{s.name}</td>
                    <td data-label="Odds">{s.odds}</td>
                    <td data-label="Bets" data-testid="liability-bets">
                      {f?.bets ?? "…"}
                    </td>
                    <td data-label="Stakes">{f ? formatMoney(f.stakes) : "…"}</td>
                    <td data-label="Potential payout">{f ? formatMoney(f.potentialPayout) : "…"}</td>
                    <td data-label="Liability" data-testid="liability-amount" data-amount={f?.liability}>
                      {f ? formatMoney(f.liability) : "…"}
                      <meter min={0} max={1} low={0.5} high={0.8} optimum={0} value={share} aria-label="Share of the cap" />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      ))}
    </section>
  );
}
