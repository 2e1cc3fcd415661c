import type { MatchDto } from "@/server/catalog/match-root";

// Not in the result form's module: that one is client-only, and the settlement panel (a server component) uses it too.
/** A match's result in words: the score, the winner, void, or none yet. */
export function describeResult(match: MatchDto): string {
  const result = match.result;
  if (result === null) return "No result recorded yet.";
  if ("void" in result) return "Void: every stake is returned.";
  if ("score" in result) return `Final score: ${match.home} ${result.score.home}-${result.score.away} ${match.away}.`;
  const name = match.markets.flatMap((m) => m.selections).find((s) => s.id === result.winnerSelectionId)?.name;
  return `Winner: ${name ?? result.winnerSelectionId}.`;
}
