import { LiveCatalog, type Viewer } from "@/app/components/live-catalog";
import { catalogReader } from "@/app/lib/catalog";
import { getSessionUser } from "@/app/lib/session";
import { webDeps } from "@/server/deps";
import { getBalance } from "@/server/wallet/get-balance";

// Rendered per request from the instance's cache; the browser then follows changes on the odds stream.
export const dynamic = "force-dynamic";

export default async function CatalogPage() {
  const user = await getSessionUser();
  const viewer: Viewer = user ? (user.role === "bettor" ? "bettor" : "staff") : "anonymous";
  const account = user?.role === "bettor" ? await getBalance(webDeps(), { userId: user.id }) : null;
  return (
    <>
      <h1 className="page-title">Matches</h1>
      <LiveCatalog initialMatches={await (await catalogReader()).listCatalog()} viewer={viewer} currency={account?.currency ?? "EUR"} />
    </>
  );
}
