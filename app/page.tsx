import { LiveCatalog } from "@/app/components/live-catalog";
import { bettingPageData } from "@/app/lib/betting-page";
import { catalogReader } from "@/app/lib/catalog";

// Rendered per request from the instance's cache; the browser then follows changes on the odds stream.
export const dynamic = "force-dynamic";

export default async function CatalogPage() {
  const [{ betting, ...slip }, matches] = await Promise.all([bettingPageData(), (await catalogReader()).listCatalog()]);
  return (
    <>
      <h1 className="page-title">Matches</h1>
      <LiveCatalog initialMatches={matches} initialBetting={betting} {...slip} />
    </>
  );
}
