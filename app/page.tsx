import { listCatalog } from "@/server/catalog/list-catalog";
import type { MatchDto } from "@/server/catalog/load-matches";
import { getDb } from "@/server/platform/db";
import { formatKickoff } from "@/app/lib/format";

// Prices change at any time: always render from the current data.
export const dynamic = "force-dynamic";

const statusLabel: Record<MatchDto["status"], string> = {
  SCHEDULED: "Not open yet",
  OPEN: "Open",
  SUSPENDED: "Suspended",
  CLOSED: "Closed",
};

function groupByCompetition(matches: MatchDto[]) {
  const groups = new Map<string, { sport: string; competition: string; matches: MatchDto[] }>();
  for (const match of matches) {
    const key = `${match.sport} · ${match.competition}`;
    const group = groups.get(key) ?? { sport: match.sport, competition: match.competition, matches: [] };
    group.matches.push(match);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => a.sport.localeCompare(b.sport) || a.competition.localeCompare(b.competition));
}

export default async function CatalogPage() {
  const groups = groupByCompetition(await listCatalog(getDb()));
  return (
    <>
      <h1 className="page-title">Matches</h1>
      {groups.length === 0 && <p className="muted">No matches are open for betting right now.</p>}
      {groups.map((group) => (
        <section key={`${group.sport}-${group.competition}`} className="competition" aria-labelledby={`c-${group.competition}`}>
          <h2 id={`c-${group.competition}`}>
            <span className="sport">{group.sport}</span> {group.competition}
          </h2>
          <ul className="match-list">
            {group.matches.map((match) => (
              <MatchRow key={match.id} match={match} />
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}

function MatchRow({ match }: { match: MatchDto }) {
  const market = match.markets[0];
  return (
    <li className="match" data-testid="match" data-match-id={match.id}>
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
          {market.selections.map((selection) => (
            <li key={selection.id} className="price" data-selection-id={selection.id}>
              <span className="price-name">{selection.name}</span>
              <span className="price-odds">{selection.odds}</span>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
