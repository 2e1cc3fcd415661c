import Link from "next/link";
import { getBalance } from "@/server/wallet/get-balance";
import { getDb } from "@/server/platform/db";
import { formatMoney } from "@/app/lib/format";
import { getSessionUser } from "@/app/lib/session";
import { LogoutButton } from "./logout-button";

export async function SiteHeader() {
  const user = await getSessionUser();
  const wallet = user?.role === "bettor" ? await getBalance(getDb(), user.id) : null;
  return (
    <header className="site-header">
      <nav className="site-nav" aria-label="Main">
        <Link href="/" className="brand">
          <span aria-hidden="true">◆</span> Bookmaker
        </Link>
        <Link href="/">Matches</Link>
        {user?.role === "staff" && <Link href="/admin">Back office</Link>}
      </nav>
      <div className="account">
        {user ? (
          <>
            {wallet && (
              <span className="balance" data-testid="balance" aria-label="Your balance">
                {formatMoney(wallet.balance, wallet.currency)}
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
