import { stakeLimitsFor } from "@/server/betting/stake-limits";
import { getBettingState } from "@/server/catalog/betting-switch";
import { webDeps } from "@/server/deps";
import { getWallet } from "@/server/wallet/get-wallet";
import type { Viewer } from "@/app/components/slip-side";
import { getSessionUser } from "./session";

/**
 * What a page with prices and the bet slip needs besides its matches: who is looking, the kill switch, the bettor's
 * stake limits and the available balance (which bounds each stake's "max"; the page is refreshed after every accepted bet).
 */
export async function bettingPageData() {
  const user = await getSessionUser();
  const viewer: Viewer = user ? (user.role === "bettor" ? "bettor" : "staff") : "anonymous";
  const deps = webDeps();
  const isBettor = user?.role === "bettor";
  const [wallet, betting, limits] = await Promise.all([
    isBettor ? getWallet(deps, { userId: user.id }).catch(() => null) : null,
    getBettingState(deps.db),
    // The bettor's own maximum stake: their stake factor applied, as acceptance does.
    stakeLimitsFor(deps, isBettor ? user.id : null),
  ]);
  return { viewer, betting, limits, currency: wallet?.currency ?? "EUR", available: wallet?.available ?? 0 };
}
