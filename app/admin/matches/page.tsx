import type { Metadata } from "next";
import Link from "next/link";
import { loadMatches } from "@/server/catalog/load-matches";
import { webDeps } from "@/server/deps";
import { matchLiability, worstLiability } from "@/server/risk/liability";
import { CreateMatchForm } from "@/app/components/create-match-form";
import { formatKickoff, formatMoney } from "@/app/lib/format";
import { requireStaffPage } from "@/app/lib/guard";
import { TableScroll } from "@/app/components/table-scroll";

export const metadata: Metadata = { title: "Matches" };

export default async function BackOfficeMatchesPage() {
  await requireStaffPage("/admin/matches");
  // Staff see PostgreSQL, the system of record, not a web instance's cache.
  const deps = webDeps();
  const matches = await loadMatches(deps.db, undefined);
  // The worst case of each match not yet paid, live from the partitions' counters.
  const worst = new Map(
    await Promise.all(
      matches
        .filter((m) => m.settlementState !== "SETTLED")
        .map(async (m) => [m.id, worstLiability(await matchLiability(deps, m))] as const),
    ),
  );
  return (
    <>
      <h1 className="page-title">Matches</h1>
      <CreateMatchForm />
      <TableScroll label="Matches">
        <table className="table table-cards">
          <thead>
            <tr>
              <th scope="col">Kick-off</th>
              <th scope="col">Match</th>
              <th scope="col">Status</th>
              <th scope="col">Settlement</th>
              <th scope="col">Prices</th>
              <th scope="col">Worst liability</th>
              <th scope="col">Version</th>
            </tr>
          </thead>
          <tbody>
            {matches.map((m) => (
              <tr key={m.id} data-testid="admin-match" data-match-id={m.id} data-status={m.status}>
                <td data-label="Kick-off">{formatKickoff(m.startsAt)}</td>
                <td>
                  <Link href={`/admin/matches/${m.id}`}>
                    {m.home} v {m.away}
                  </Link>
                  <div className="muted">{m.competition}</div>
                </td>
                <td data-label="Status">{m.status}</td>
                <td data-label="Settlement">{m.settlementState}</td>
                <td data-label="Prices">{m.markets[0]?.selections.map((s) => s.odds).join(" / ")}</td>
                <td data-label="Worst liability" data-testid="worst-liability">
                  {worst.has(m.id) ? formatMoney(worst.get(m.id)!) : "paid out"}
                </td>
                <td data-label="Version">{m.version}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}
