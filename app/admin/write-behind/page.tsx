import type { Metadata } from "next";
import { listQuarantine } from "@/server/betting/quarantine";
import { getWriteBehindStatus } from "@/server/betting/write-behind-status";
import { webDeps } from "@/server/deps";
import { lastWalletDrift } from "@/server/wallet/reconcile-wallets";
import { QuarantineActions } from "@/app/components/quarantine-actions";
import { RefreshWhile } from "@/app/components/refresh-while";
import { formatMoney } from "@/app/lib/format";
import { requireStaffPage } from "@/app/lib/guard";
import { TableScroll } from "@/app/components/table-scroll";

export const metadata: Metadata = { title: "Write-behind queue" };

export default async function WriteBehindPage() {
  await requireStaffPage("/admin/write-behind");
  const [partitions, drift, quarantine] = await Promise.all([
    getWriteBehindStatus(webDeps()),
    lastWalletDrift(webDeps()),
    listQuarantine(webDeps()),
  ]);
  return (
    <>
      <RefreshWhile active />
      <h1 className="page-title">Write-behind queue</h1>
      <p className="muted">
        Bets are acknowledged once durable in a partition&apos;s Redis log; the flusher holding the partition&apos;s lease writes them to
        PostgreSQL in order. Depth counts entries not yet acknowledged by the flusher.
      </p>
      <TableScroll label="Write-behind partitions">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Partition</th>
              <th scope="col">Depth</th>
              <th scope="col">Oldest entry</th>
              <th scope="col">Flushed per second</th>
              <th scope="col">Flushed in all</th>
              <th scope="col">Last flushed id</th>
              <th scope="col">Flusher</th>
              <th scope="col">Quarantined</th>
            </tr>
          </thead>
          <tbody>
            {partitions.map((p) => (
              <tr key={p.id} data-testid={`partition-${p.id}`}>
                <td>{p.id}</td>
                <td>{p.depth}</td>
                <td>{p.depth === 0 ? "—" : `${(p.oldestAgeMs / 1000).toFixed(1)} s`}</td>
                <td>{p.flushedPerSec.toFixed(1)}</td>
                <td>{p.flushedTotal}</td>
                <td>
                  <code>{p.lastFlushedId}</code>
                </td>
                <td>{p.flusher ?? <strong>none: nothing is being written to PostgreSQL</strong>}</td>
                <td>{p.quarantined === 0 ? "0" : <strong>{p.quarantined}</strong>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <section className="card" aria-labelledby="quarantine-title">
        <h2 id="quarantine-title">Quarantine</h2>
        <p className="muted">
          Entries PostgreSQL refused for good are set aside here so their partition keeps flowing. A bet&apos;s stake stays reserved and its
          match cannot be paid out until it is recorded or refunded.
        </p>
        {quarantine.length === 0 ? (
          <p>Nothing has been quarantined.</p>
        ) : (
          <TableScroll label="Quarantined entries">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Entry</th>
                  <th scope="col">Bet</th>
                  <th scope="col">Refused because</th>
                  <th scope="col">Resolution</th>
                </tr>
              </thead>
              <tbody>
                {quarantine.map((q) => (
                  <tr key={`${q.partition}/${q.streamId}`} data-testid="quarantined-entry">
                    <td>
                      <code>
                        {q.partition}/{q.streamId}
                      </code>
                      <br />
                      {new Date(q.quarantinedAt).toISOString().slice(0, 19).replace("T", " ")} UTC
                    </td>
                    <td>
                      {q.betId ? (
                        <>
                          <code>{q.betId}</code>
                          <br />
                          stake {q.stake === null ? "?" : formatMoney(q.stake)}
                        </>
                      ) : (
                        <code>{q.entry.slice(0, 120)}</code>
                      )}
                    </td>
                    <td>
                      {q.errorCode && <code>{q.errorCode}</code>} {q.error}
                    </td>
                    <td>
                      <QuarantineActions partition={q.partition} streamId={q.streamId} isBet={q.betId !== null} resolution={q.resolution} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>
      <section className="card" aria-labelledby="drift-title">
        <h2 id="drift-title">Wallet reconciliation</h2>
        {drift ? (
          <p>
            Last run {new Date(drift.checkedAt).toISOString().slice(11, 19)} UTC over {drift.checked} wallets:{" "}
            <strong>{drift.users}</strong> differ from PostgreSQL, by {formatMoney(drift.totalAbs)} in all. A difference is normal for a
            moment while a bet or a credit is on its way; it must be zero when the system is quiet.
          </p>
        ) : (
          <p>No reconciliation has run yet.</p>
        )}
      </section>
    </>
  );
}
