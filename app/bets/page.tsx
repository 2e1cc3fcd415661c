import type { Metadata } from "next";
import Link from "next/link";
import { listBets } from "@/server/betting/list-bets";
import { BET_STATUS_EXPLANATIONS, BET_STATUSES, listBetsSchema, type Bet, type BetStatus } from "@/server/betting/bets.shared";
import type { MatchDto } from "@/server/catalog/match-root";
import { webDeps } from "@/server/deps";
import { AppError } from "@/server/errors";
import { BettorsOnly } from "@/app/components/bettors-only";
import { RefreshWhile } from "@/app/components/refresh-while";
import { catalogReader } from "@/app/lib/catalog";
import { formatDateTime, formatMoney } from "@/app/lib/format";
import { requireSignedInPage } from "@/app/lib/guard";

export const metadata: Metadata = { title: "My bets" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 20;
const statusNames: Record<BetStatus, string> = { ACCEPTED: "Accepted", RECORDED: "Recorded", WON: "Won", LOST: "Lost", VOID: "Void" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function pageHref(status: BetStatus | undefined, cursor?: string) {
  const params = new URLSearchParams();
  if (status) params.set("status", status);
  if (cursor) params.set("cursor", cursor);
  const query = params.toString();
  return query ? `/bets?${query}` : "/bets";
}

/** Names for the table: the catalog cache holds every match root, closed ones included. */
async function matchesOf(bets: Bet[]): Promise<Map<string, MatchDto>> {
  const reader = await catalogReader();
  const ids = [...new Set(bets.flatMap((b) => b.legs.map((leg) => leg.matchId)))];
  const matches = await Promise.all(ids.map((id) => reader.getMatch(id).catch(() => null)));
  return new Map(matches.filter((m): m is MatchDto => m !== null).map((m) => [m.id, m]));
}

export default async function MyBetsPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireSignedInPage("/bets");
  if (user.role !== "bettor") return <BettorsOnly what="My bets" />;

  const params = await searchParams;
  const parsed = listBetsSchema.safeParse({ status: params.status || undefined, cursor: params.cursor || undefined, limit: PAGE_SIZE });
  const query = parsed.success ? parsed.data : { limit: PAGE_SIZE };
  let page: { bets: Bet[]; nextCursor: string | null };
  let notice = parsed.success ? null : "That filter is not one we know; showing all your bets.";
  try {
    page = await listBets(webDeps(), { userId: user.id, ...query });
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== "VALIDATION_FAILED") throw error;
    notice = "That page link is not valid any more; showing your newest bets.";
    page = await listBets(webDeps(), { userId: user.id, ...query, cursor: undefined });
  }
  const matches = await matchesOf(page.bets);
  const status = parsed.success ? parsed.data.status : undefined;
  const hasAccepted = page.bets.some((b) => b.status === "ACCEPTED");

  return (
    <>
      <h1 className="page-title">My bets</h1>
      <RefreshWhile active={hasAccepted} />
      <nav className="filters" aria-label="Filter by status">
        <Link href={pageHref(undefined)} aria-current={status === undefined ? "page" : undefined}>
          All
        </Link>
        {BET_STATUSES.map((s) => (
          <Link key={s} href={pageHref(s)} aria-current={status === s ? "page" : undefined}>
            {statusNames[s]}
          </Link>
        ))}
      </nav>
      {notice && (
        <p className="outcome outcome-error" role="alert">
          {notice}
        </p>
      )}
      {page.bets.length === 0 ? (
        <p className="muted">{status ? `No ${statusNames[status].toLowerCase()} bets.` : "You have not placed any bets yet."}</p>
      ) : (
        <div className="table-scroll">
          <table className="table bets-table">
            <thead>
              <tr>
                <th scope="col">Reference</th>
                <th scope="col">Match</th>
                <th scope="col">Selection</th>
                <th scope="col">Stake</th>
                <th scope="col">Odds</th>
                <th scope="col">Potential return</th>
                <th scope="col">Status</th>
                <th scope="col">Payout</th>
              </tr>
            </thead>
            <tbody>
              {page.bets.map((bet) => (
                <BetRow key={bet.id} bet={bet} matches={matches} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="pager" aria-label="Pages">
        {query.cursor && <Link href={pageHref(status)}>Newest</Link>}
        {page.nextCursor && <Link href={pageHref(status, page.nextCursor)}>Older</Link>}
      </nav>
    </>
  );
}

const matchName = (match: MatchDto | undefined) => (match ? `${match.home} v ${match.away}` : "Unknown match");

function BetRow({ bet, matches }: { bet: Bet; matches: Map<string, MatchDto> }) {
  const isAccumulator = bet.type === "ACCUMULATOR";
  const legs = bet.legs.map((leg) => {
    const match = matches.get(leg.matchId);
    const selection = match?.markets.flatMap((m) => m.selections).find((s) => s.id === leg.selectionId);
    return { ...leg, match, name: selection?.name ?? "Unknown selection" };
  });
  return (
    <tr data-testid="bet-row" data-bet-id={bet.id} data-status={bet.status}>
      <th scope="row">
        <code>{bet.reference}</code>
        <br />
        <time className="muted" dateTime={bet.acceptedAt}>
          {formatDateTime(bet.acceptedAt)}
        </time>
      </th>
      <td>{isAccumulator ? `Accumulator, ${legs.length} legs` : matchName(legs[0]!.match)}</td>
      <td>
        {isAccumulator ? (
          <ul className="bet-legs">
            {legs.map((leg) => (
              <li key={leg.selectionId} data-testid="bet-leg" data-result={leg.result}>
                {matchName(leg.match)}: {leg.name} @ {leg.odds} <span className="muted">({leg.result.toLowerCase()})</span>
              </li>
            ))}
          </ul>
        ) : (
          legs[0]!.name
        )}
      </td>
      <td className="num">{formatMoney(bet.stake)}</td>
      <td className="num">{bet.odds}</td>
      <td className="num">{formatMoney(bet.potentialReturn)}</td>
      <td>
        <span className={`bet-status bet-status-${bet.status.toLowerCase()}`} data-testid="bet-status">
          {statusNames[bet.status]}
        </span>
        <p className="status-explanation muted">{BET_STATUS_EXPLANATIONS[bet.status]}</p>
      </td>
      <td className="num" data-testid="bet-payout">
        {bet.payout !== null ? formatMoney(bet.payout) : "—"}
        {bet.settledAt && (
          <>
            <br />
            <time className="muted" dateTime={bet.settledAt}>
              settled {formatDateTime(bet.settledAt)}
            </time>
          </>
        )}
      </td>
    </tr>
  );
}
