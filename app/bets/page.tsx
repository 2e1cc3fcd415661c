import { Odds } from "@/app/components/odds";
import type { Metadata } from "next";
import Link from "next/link";
import { listBets } from "@/server/betting/list-bets";
import { listBetsSchema, type Bet } from "@/server/betting/bets.shared";
import type { MatchDto } from "@/server/catalog/match-root";
import { webDeps } from "@/server/deps";
import { AppError } from "@/server/errors";
import { BettorsOnly } from "@/app/components/bettors-only";
import { LocalTime } from "@/app/components/local-time";
import { BetDateFilter } from "@/app/components/bet-date-filter";
import { CashOutButton } from "@/app/components/cash-out-button";
import { RefreshWhile } from "@/app/components/refresh-while";
import { betWords } from "@/app/lib/bet-words";
import { catalogReader } from "@/app/lib/catalog";
import { formatMoney } from "@/app/lib/format";
import { requireSignedInPage } from "@/app/lib/guard";
import { TableScroll } from "@/app/components/table-scroll";

export const metadata: Metadata = { title: "My bets" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 20;
// The filters a bettor picks from: open or settled bets, then the outcomes.
const filters = [
  { name: "All", query: {} },
  { name: "Open", query: { state: "open" } },
  { name: "Settled", query: { state: "settled" } },
  { name: "Won", query: { status: "WON" } },
  { name: "Lost", query: { status: "LOST" } },
  { name: "Void", query: { status: "VOID" } },
] as const;
type Filter = { state?: "open" | "settled"; status?: Bet["status"]; from?: string; to?: string };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function pageHref(filter: Filter, cursor?: string) {
  const params = new URLSearchParams();
  if (filter.state) params.set("state", filter.state);
  if (filter.status) params.set("status", filter.status);
  if (filter.from) params.set("from", filter.from);
  if (filter.to) params.set("to", filter.to);
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
  const parsed = listBetsSchema.safeParse({
    state: params.state || undefined,
    status: params.status || undefined,
    from: params.from || undefined,
    to: params.to || undefined,
    cursor: params.cursor || undefined,
    limit: PAGE_SIZE,
  });
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
  const filter: Filter = parsed.success ? { state: parsed.data.state, status: parsed.data.status } : {};
  const dates = parsed.success ? { from: parsed.data.from, to: parsed.data.to } : {};
  const current = filters.find((f) => pageHref(f.query) === pageHref(filter));
  const hasAccepted = page.bets.some((b) => b.status === "ACCEPTED");

  return (
    <>
      <h1 className="page-title">My bets</h1>
      <RefreshWhile active={hasAccepted} />
      <nav className="filters" aria-label="Show bets">
        {filters.map((f) => (
          <Link key={f.name} href={pageHref({ ...f.query, ...dates })} aria-current={f === current ? "page" : undefined}>
            {f.name}
          </Link>
        ))}
      </nav>
      <BetDateFilter
        {...dates}
        keep={Object.fromEntries(Object.entries(filter).filter((e): e is [string, string] => e[1] !== undefined))}
      />
      {notice && (
        <p className="outcome outcome-error" role="alert">
          {notice}
        </p>
      )}
      {page.bets.length === 0 ? (
        <p className="muted">
          {dates.from || dates.to
            ? "No bets placed in those days."
            : current && current.name !== "All"
              ? `No ${current.name.toLowerCase()} bets.`
              : "You have not placed any bets yet."}
        </p>
      ) : (
        <TableScroll label="Your bets">
          <table className="table bets-table table-cards">
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
        </TableScroll>
      )}
      <nav className="pager" aria-label="Pages">
        {query.cursor && <Link href={pageHref({ ...filter, ...dates })}>Newest</Link>}
        {page.nextCursor && <Link href={pageHref({ ...filter, ...dates }, page.nextCursor)}>Older</Link>}
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
  const words = betWords(bet.status);
  return (
    <tr data-testid="bet-row" data-bet-id={bet.id} data-status={bet.status}>
      <th scope="row">
        <code>{bet.reference}</code>
        <br />
        <span className="muted">
          <LocalTime iso={bet.acceptedAt} format="moment" />
        </span>
      </th>
      <td data-label="Match">{isAccumulator ? `Accumulator, ${legs.length} legs` : matchName(legs[0]!.match)}</td>
      <td data-label="Selection">
        {isAccumulator ? (
          <ul className="bet-legs">
            {legs.map((leg) => (
              <li key={leg.selectionId} data-testid="bet-leg" data-result={leg.result}>
                {matchName(leg.match)}: {leg.name} @ <Odds value={leg.odds} /> <span className="muted">({leg.result.toLowerCase()})</span>
              </li>
            ))}
          </ul>
        ) : (
          legs[0]!.name
        )}
      </td>
      <td className="num" data-label="Stake">
        {formatMoney(bet.stake)}
      </td>
      <td className="num" data-label="Odds">
        <Odds value={bet.odds} />
      </td>
      <td className="num" data-label="Potential return">
        {formatMoney(bet.potentialReturn)}
      </td>
      <td data-label="Status">
        <span className={`bet-status bet-status-${words.group}`} data-testid="bet-status">
          {words.label}
        </span>
        <p className="status-explanation muted">{words.explanation}</p>
        <details className="status-detail">
          <summary>Details</summary>
          <span className="muted">{words.detail}</span>
        </details>
      </td>
      <td className="num" data-label="Payout" data-testid="bet-payout">
        {bet.payout !== null ? formatMoney(bet.payout) : "—"}
        {bet.cashOut && <CashOutButton betId={bet.id} offer={bet.cashOut.amount} />}
        {bet.settledAt && (
          <>
            <br />
            <span className="muted">
              settled <LocalTime iso={bet.settledAt} format="moment" />
            </span>
          </>
        )}
      </td>
    </tr>
  );
}
