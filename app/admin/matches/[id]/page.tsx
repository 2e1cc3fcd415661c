import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { matchParamsSchema } from "@/server/catalog/get-match";
import { loadMatch } from "@/server/catalog/load-matches";
import { webDeps } from "@/server/deps";
import { getSettlementStatus } from "@/server/lifecycle/settlement-status";
import { effectiveCap } from "@/server/risk/liability";
import { LiabilityPanel } from "@/app/components/liability-panel";
import { MaxLiabilityForm } from "@/app/components/max-liability-form";
import { MatchStatusActions } from "@/app/components/match-status-actions";
import { OddsGrid } from "@/app/components/odds-grid";
import { RefreshWhile } from "@/app/components/refresh-while";
import { RescheduleForm } from "@/app/components/reschedule-form";
import { isSettlementJobRunning, SettlementPanel } from "@/app/components/settlement-panel";
import { formatKickoff } from "@/app/lib/format";
import { requireStaffPage } from "@/app/lib/guard";

export const metadata: Metadata = { title: "Odds" };

export default async function MatchOddsPage({ params }: { params: Promise<{ id: string }> }) {
  const raw = await params;
  await requireStaffPage(`/admin/matches/${raw.id}`);
  const parsed = matchParamsSchema.safeParse(raw);
  const deps = webDeps();
  const match = parsed.success ? await loadMatch(deps.db, parsed.data.id) : null;
  if (!match) notFound();
  const settlement = match.status === "CLOSED" ? await getSettlementStatus(deps, { matchId: match.id }) : null;
  // Follow the markers until COMPLETE, and a payout job until it ends; a settled or idle match needs no polling.
  const isChanging = settlement !== null && (settlement.settlementState === "INCOMPLETE" || isSettlementJobRunning(settlement));
  return (
    <>
      <RefreshWhile active={isChanging} />
      <h1 className="page-title">
        {match.home} v {match.away}
      </h1>
      <p className="muted">
        {match.sport} · {match.competition} · {formatKickoff(match.startsAt)} · status{" "}
        <strong data-testid="match-status">{match.status}</strong> · version {match.version}
      </p>
      <MatchStatusActions match={match} />
      {match.status !== "CLOSED" && <RescheduleForm match={match} />}
      {settlement && <SettlementPanel match={match} status={settlement} />}
      <OddsGrid match={match} />
      {match.settlementState !== "SETTLED" && (
        <>
          <LiabilityPanel match={match} />
          <MaxLiabilityForm match={match} effectiveCap={effectiveCap(match, deps.config)} />
        </>
      )}
    </>
  );
}
