import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { matchParamsSchema } from "@/server/catalog/get-match";
import { loadMatch } from "@/server/catalog/load-matches";
import { getDb } from "@/server/platform/db";
import { MatchStatusActions } from "@/app/components/match-status-actions";
import { OddsGrid } from "@/app/components/odds-grid";
import { formatKickoff } from "@/app/lib/format";
import { requireStaffPage } from "@/app/lib/guard";

export const metadata: Metadata = { title: "Odds" };

export default async function MatchOddsPage({ params }: { params: Promise<{ id: string }> }) {
  const raw = await params;
  await requireStaffPage(`/admin/matches/${raw.id}`);
  const parsed = matchParamsSchema.safeParse(raw);
  const match = parsed.success ? await loadMatch(getDb(), parsed.data.id) : null;
  if (!match) notFound();
  return (
    <>
      <h1 className="page-title">
        {match.home} v {match.away}
      </h1>
      <p className="muted">
        {match.sport} · {match.competition} · {formatKickoff(match.startsAt)} · status <strong data-testid="match-status">{match.status}</strong> · version {match.version}
      </p>
      <MatchStatusActions match={match} />
      <OddsGrid match={match} />
    </>
  );
}
