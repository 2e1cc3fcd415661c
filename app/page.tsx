import { LiveCatalog } from "@/app/components/live-catalog";
import { catalogReader } from "@/app/lib/catalog";

// Rendered per request from the instance's cache; the browser then follows changes on the odds stream.
export const dynamic = "force-dynamic";

export default async function CatalogPage() {
  return (
    <>
      <h1 className="page-title">Matches</h1>
      <LiveCatalog initialMatches={await (await catalogReader()).listCatalog()} />
    </>
  );
}
