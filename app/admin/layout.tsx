import type { ReactNode } from "react";
import { getBettingState } from "@/server/catalog/betting-switch";
import { webDeps } from "@/server/deps";
import { NavLink } from "@/app/components/nav-link";

// The shell only; every page below checks the staff role itself (layouts do not re-run on client navigation, but
// router.refresh(), which the kill switch calls, does re-render them). The betting state is public: the odds
// stream tells every browser.
export default async function BackOfficeLayout({ children }: { children: ReactNode }) {
  const betting = await getBettingState(webDeps().db);
  return (
    <div className="backoffice">
      <nav className="backoffice-nav" aria-label="Back office">
        <p className="backoffice-title">Back office</p>
        <p className={`betting-badge${betting.suspended ? " betting-badge-off" : ""}`} data-testid="header-betting-state">
          Betting: <strong>{betting.suspended ? "suspended everywhere" : "open"}</strong>
        </p>
        <NavLink href="/admin" exact>
          Overview
        </NavLink>
        <NavLink href="/admin/matches">Matches and odds</NavLink>
        <NavLink href="/admin/users">Bettors</NavLink>
        <NavLink href="/admin/write-behind">Write-behind queue</NavLink>
        <NavLink href="/admin/audit">Audit log</NavLink>
      </nav>
      <div className="backoffice-content">{children}</div>
    </div>
  );
}
