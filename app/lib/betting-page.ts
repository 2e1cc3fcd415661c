import type { StakeLimits } from "@/server/betting/stake-limits.shared";
import { getBettingState } from "@/server/catalog/betting-switch";
import { webDeps } from "@/server/deps";
import { getWallet } from "@/server/wallet/get-wallet";
import type { Viewer } from "@/app/components/slip-side";
import { getSessionUser } from "./session";

/**
 * What a page with prices and the bet slip needs besides its matches: who is looking, the kill switch, the stake
 * limits and the available balance (which bounds each stake's "max"; the page is refreshed after every accepted bet).
 */
export async function bettingPageData() {
  const user = await getSessionUser();
  const viewer: Viewer = user ? (user.role === "bettor" ? "bettor" : "staff") : "anonymous";
  const deps = webDeps();
  const [wallet, betting] = await Promise.all([
    user?.role === "bettor" ? getWallet(deps, { userId: user.id }).catch(() => null) : null,
    getBettingState(deps.db),
  ]);
  const { BET_MIN_STAKE, BET_MAX_STAKE, BET_MAX_PAYOUT } = deps.config;
  const limits: StakeLimits = { minStake: BET_MIN_STAKE, maxStake: BET_MAX_STAKE, maxPayout: BET_MAX_PAYOUT };
  return { viewer, betting, limits, currency: wallet?.currency ?? "EUR", available: wallet?.available ?? 0 };
}
