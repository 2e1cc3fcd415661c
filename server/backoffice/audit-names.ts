import type { AuditEntryDto } from "@/server/audit/list-audit";
import { loadMatches } from "@/server/catalog/load-matches";
import type { Deps } from "@/server/deps";

/**
 * Readable names for the entities an audit page shows: "Arsenal v Chelsea" for a match, "Draw (Arsenal v
 * Chelsea)" for a selection. Ids it cannot name (the kill switch, queue entries) are left out.
 */
export async function auditEntityNames({ db }: Pick<Deps, "db">, entries: AuditEntryDto[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (!entries.some((e) => e.entityType === "match" || e.entityType === "selection")) return names;
  for (const match of await loadMatches(db, undefined)) {
    const matchName = `${match.home} v ${match.away}`;
    names.set(match.id, matchName);
    for (const selection of match.markets.flatMap((m) => m.selections)) names.set(selection.id, `${selection.name} (${matchName})`);
  }
  return names;
}
