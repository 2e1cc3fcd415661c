import type { Metadata } from "next";
import { getOverview } from "@/server/backoffice/get-overview";
import { getDb } from "@/server/platform/db";
import { formatMoney } from "@/app/lib/format";
import { requireStaffPage } from "@/app/lib/guard";

export const metadata: Metadata = { title: "Back office" };

export default async function BackOfficePage() {
  const staff = await requireStaffPage("/admin");
  const overview = await getOverview(getDb());
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
    </>
  );
}
