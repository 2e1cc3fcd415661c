import type { MatchDto } from "@/server/catalog/match-root";
import { isListedStatus } from "@/server/catalog/listed-statuses.shared";

// What the bettor's catalog derives from the live matches and the kill switch: which prices can be taken and why
// not, which moved, and the groups and filters of the list. Pure functions, shared by the catalog and the slip.

export type Move = "up" | "down";
export type BettingState = { suspended: boolean; version: number };
type Market = MatchDto["markets"][number];

/** How long a price's up/down arrow stays after it moved. */
export const MOVE_VISIBLE_MS = 5_000;

/** Why a price cannot be taken right now, in a bettor's words; null when it can. */
export function lockReason(
  match: Pick<MatchDto, "status">,
  market: Pick<Market, "status" | "voided">,
  betting: BettingState,
): string | null {
  if (betting.suspended) return "Betting is paused";
  if (market.voided) return "This market is void";
  if (match.status === "CLOSED") return "Betting has closed on this match";
  if (match.status === "SCHEDULED") return "Betting has not opened yet";
  if (match.status === "SUSPENDED" || market.status !== "OPEN") return "Suspended for the moment";
  return null;
}

export type MarketState = "open" | "suspended" | "void" | "closed" | "not-open";

/** A market's state on a match's page, in a word and for a bettor: void and closed outrank a suspension. */
export function marketStateOf(
  match: Pick<MatchDto, "status">,
  market: Pick<Market, "status" | "voided">,
): { state: MarketState; label: string } {
  if (market.voided) return { state: "void", label: "Void: stakes are returned" };
  if (match.status === "CLOSED" || market.status === "CLOSED") return { state: "closed", label: "Closed" };
  if (match.status === "SCHEDULED") return { state: "not-open", label: "Not open yet" };
  if (match.status === "SUSPENDED" || market.status !== "OPEN") return { state: "suspended", label: "Suspended" };
  return { state: "open", label: "Open" };
}

export type CatalogState = { matches: Map<string, MatchDto>; moves: Map<string, { move: Move; at: number }> };

/**
 * A newer version of a match replaces it (or removes it once it leaves the catalog, unless it is the match `keep`
 * names: a match's own page goes on showing it, closed) and marks moved prices.
 */
export function applyChange({ matches, moves }: CatalogState, next: MatchDto, now: number, keep?: string): CatalogState {
  const current = matches.get(next.id);
  if (current && current.version >= next.version) return { matches, moves };
  const before = new Map(current?.markets.flatMap((m) => m.selections.map((s) => [s.id, Number(s.odds)] as const)) ?? []);
  const nextMoves = new Map(moves);
  for (const selection of next.markets.flatMap((m) => m.selections)) {
    const was = before.get(selection.id);
    if (was !== undefined && was !== Number(selection.odds))
      nextMoves.set(selection.id, { move: Number(selection.odds) > was ? "up" : "down", at: now });
  }
  const nextMatches = new Map(matches);
  if (isListedStatus(next.status) || next.id === keep) nextMatches.set(next.id, next);
  else nextMatches.delete(next.id);
  return { matches: nextMatches, moves: nextMoves };
}

/** The moves still worth an arrow at `now`; the same map when none expired, so a render can be skipped. */
export function withoutOldMoves(state: CatalogState, now: number): CatalogState {
  const kept = [...state.moves].filter(([, m]) => now - m.at < MOVE_VISIBLE_MS);
  return kept.length === state.moves.size ? state : { ...state, moves: new Map(kept) };
}

/** `startsBefore`: ms since epoch, set when the bettor asks for "starting soon". */
export type CatalogFilter = { query: string; competition: string; startsBefore: number | null };
export const noFilter: CatalogFilter = { query: "", competition: "", startsBefore: null };
/** "Starting soon": kick-off within this many hours. */
export const STARTING_SOON_HOURS = 24;

export const competitionKey = (m: Pick<MatchDto, "sport" | "competition">) => `${m.sport} · ${m.competition}`;

function matchesFilter(match: MatchDto, filter: CatalogFilter): boolean {
  if (filter.competition && competitionKey(match) !== filter.competition) return false;
  if (filter.startsBefore !== null && Date.parse(match.startsAt) > filter.startsBefore) return false;
  const words = filter.query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const text = `${match.home} ${match.away} ${match.competition} ${match.sport}`.toLowerCase();
  return words.every((w) => text.includes(w));
}

export type CompetitionGroup = { key: string; sport: string; competition: string; matches: MatchDto[] };

/** Matches by competition, each by kick-off; the competition with the soonest kick-off first. */
export function groupByCompetition(matches: MatchDto[], filter: CatalogFilter): CompetitionGroup[] {
  const groups = new Map<string, CompetitionGroup>();
  for (const match of [...matches].sort((a, b) => a.startsAt.localeCompare(b.startsAt))) {
    if (!matchesFilter(match, filter)) continue;
    const key = competitionKey(match);
    const group = groups.get(key) ?? { key, sport: match.sport, competition: match.competition, matches: [] };
    group.matches.push(match);
    groups.set(key, group);
  }
  // Matches were added soonest first, so the groups already are in order of their first kick-off.
  return [...groups.values()];
}

/** Every competition in the catalog, by sport, for the filter. */
export function competitionsOf(matches: Iterable<MatchDto>): string[] {
  return [...new Set([...matches].map(competitionKey))].sort();
}
