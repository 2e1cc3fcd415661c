import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getMatch } from "@/server/catalog/get-match";
import type { MatchDto } from "@/server/catalog/match-root";
import { AppError } from "@/server/errors";
import { LiveMatch } from "@/app/components/live-match";
import { bettingPageData } from "@/app/lib/betting-page";
import { catalogReader } from "@/app/lib/catalog";

// Rendered per request from the instance's cache, like the catalog; the browser then follows the odds stream.
export const dynamic = "force-dynamic";

type Params = Promise<{ id: string }>;

/** The match, or the not-found page for an id that is not one (malformed, or no such match). */
async function findMatch(id: string): Promise<MatchDto> {
  try {
    return await getMatch(await catalogReader(), { id });
  } catch (error) {
    if (error instanceof AppError && (error.code === "NOT_FOUND" || error.code === "VALIDATION_FAILED")) notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const match = await findMatch((await params).id);
  return { title: `${match.home} v ${match.away}` };
}

export default async function MatchPage({ params }: { params: Params }) {
  const match = await findMatch((await params).id);
  const [{ betting, ...slip }, catalog] = await Promise.all([bettingPageData(), (await catalogReader()).listCatalog()]);
  return (
    <>
      <h1 className="page-title">
        {match.home} <span className="vs">v</span> {match.away}
      </h1>
      <LiveMatch
        matchId={match.id}
        initialMatches={[match, ...catalog.filter((m) => m.id !== match.id)]}
        initialBetting={betting}
        {...slip}
      />
    </>
  );
}
