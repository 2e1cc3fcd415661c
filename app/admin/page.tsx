import type { Metadata } from "next";
import { getOverview } from "@/server/backoffice/get-overview";
import { getBettingState } from "@/server/catalog/betting-switch";
import { getOutboxStatus } from "@/server/outbox/outbox-status";
import { webDeps } from "@/server/deps";
import { BigBetsFeed } from "@/app/components/big-bets-feed";
import { KillSwitch } from "@/app/components/kill-switch";
import { formatMoney } from "@/app/lib/format";
import { requireStaffPage } from "@/app/lib/guard";

export const metadata: Metadata = { title: "Back office" };

export default async function BackOfficePage() {
  const staff = await requireStaffPage("/admin");
  const deps = webDeps();
  const [overview, betting, outbox] = await Promise.all([getOverview(deps), getBettingState(deps.db), getOutboxStatus(deps)]);
  const statuses = ["SCHEDULED", "OPEN", "SUSPENDED", "CLOSED"] as const;
  return (
    <>
      <h1 className="page-title">Overview</h1>
      <p className="muted">Signed in as {staff.email}.</p>
      <dl className="stats">
        {statuses.map((status) => (
          <div key={status} className="stat">
            <dt>{status.toLowerCase()} matches</dt>
            <dd>{overview.matchesByStatus[status] ?? 0}</dd>
          </div>
        ))}
        <div className="stat">
          <dt>bettors</dt>
          <dd>{overview.bettors}</dd>
        </div>
        <div className="stat">
          <dt>customer balances</dt>
          <dd>{formatMoney(overview.customerBalances)}</dd>
        </div>
      </dl>
      <div className="overview-grid">
        <KillSwitch initiallySuspended={betting.suspended} />
        <section className="card outbox" aria-labelledby="outbox-title">
          <h2 id="outbox-title">Outbox</h2>
          <p>
            <strong data-testid="outbox-pending">{outbox.pending}</strong> waiting, oldest {outbox.lagSeconds.toFixed(1)} s;{" "}
            <strong data-testid="outbox-parked">{outbox.parkedTotal}</strong> parked.
          </p>
          {outbox.parked.length > 0 && (
            <ul>
              {outbox.parked.map((row) => (
                <li key={row.id}>
                  #{row.id} {row.topic} {row.aggregateId.slice(0, 8)}: {row.attempts} attempts, last error: {row.lastError}
                </li>
              ))}
            </ul>
          )}
        </section>
        <BigBetsFeed bigBetStake={deps.config.BIG_BET_STAKE} />
      </div>
    </>
  );
}
