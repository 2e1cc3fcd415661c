import { LiveCatalog, type Viewer } from "@/app/components/live-catalog";
import { catalogReader } from "@/app/lib/catalog";
import { getSessionUser } from "@/app/lib/session";
import { getBettingState } from "@/server/catalog/betting-switch";
import { webDeps } from "@/server/deps";
import { stakeLimitsFor } from "@/server/betting/stake-limits";
import { getWallet } from "@/server/wallet/get-wallet";

// Rendered per request from the instance's cache; the browser then follows changes on the odds stream.
export const dynamic = "force-dynamic";

export default async function CatalogPage() {
  const user = await getSessionUser();
  const viewer: Viewer = user ? (user.role === "bettor" ? "bettor" : "staff") : "anonymous";
  const deps = webDeps();
  // The available balance bounds each line's "max"; the page is refreshed after every accepted bet.
  const [wallet, betting, matches, limits] = await Promise.all([
    user?.role === "bettor" ? getWallet(deps, { userId: user.id }).catch(() => null) : null,
    getBettingState(deps.db),
    (await catalogReader()).listCatalog(),
    stakeLimitsFor(deps, user?.role === "bettor" ? user.id : null),
  ]);
  return (
    <>
      <h1 className="page-title">Matches</h1>
      <LiveCatalog
        initialMatches={matches}
        initialBetting={betting}
        viewer={viewer}
        currency={wallet?.currency ?? "EUR"}
        limits={limits}
        available={wallet?.available ?? 0}
      />
    </>
  );
}
