import Link from "next/link";
import type { ReactNode } from "react";

// The shell only; every page below checks the staff role itself (layouts do not re-run on client navigation).
export default function BackOfficeLayout({ children }: { children: ReactNode }) {
  return (
    <div className="backoffice">
      <nav className="backoffice-nav" aria-label="Back office">
        <p className="backoffice-title">Back office</p>
        <Link href="/admin">Overview</Link>
        <Link href="/admin/matches">Matches and odds</Link>
        <Link href="/admin/write-behind">Write-behind queue</Link>
        <Link href="/admin/audit">Audit log</Link>
      </nav>
      <div className="backoffice-content">{children}</div>
    </div>
  );
}
