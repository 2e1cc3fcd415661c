import Link from "next/link";
import { webDeps } from "@/server/deps";
import { getWallet } from "@/server/wallet/get-wallet";
import { formatMoney } from "@/app/lib/format";
import { getSessionUser } from "@/app/lib/session";
import { LogoutButton } from "./logout-button";
import { NavLink } from "./nav-link";
import { OddsFormatPicker } from "./odds";

export async function SiteHeader() {
  const user = await getSessionUser();
  // The available balance (what bets are accepted against) drops the moment a bet is accepted, before it is flushed.
  // If Redis is down the header leaves the balance out rather than failing every page.
  const wallet = user?.role === "bettor" ? await getWallet(webDeps(), { userId: user.id }).catch(() => null) : null;
  return (
    <header className="site-header">
      <nav className="site-nav" aria-label="Main">
        <Link href="/" className="brand">
          <span aria-hidden="true">◆</span> Bookmaker
        </Link>
        <NavLink href="/" exact>
          Matches
        </NavLink>
        {user?.role === "bettor" && <NavLink href="/bets">My bets</NavLink>}
        {user?.role === "bettor" && <NavLink href="/wallet">Wallet</NavLink>}
        {user?.role === "staff" && <NavLink href="/admin">Back office</NavLink>}
      </nav>
      <OddsFormatPicker />
      <div className="account">
        {user ? (
          <>
            {wallet && (
              <span className="balance" data-testid="balance" aria-label="Your available balance" title="Available to bet">
                {formatMoney(wallet.available, wallet.currency)}
              </span>
            )}
            <span className="who" data-testid="signed-in-as">
              {user.email}
              {user.role === "staff" && <span className="badge">staff</span>}
            </span>
            <LogoutButton />
          </>
        ) : (
          <>
            <Link href="/login" className="button button-quiet">
              Sign in
            </Link>
            <Link href="/register" className="button">
              Register
            </Link>
          </>
        )}
      </div>
    </header>
  );
}
