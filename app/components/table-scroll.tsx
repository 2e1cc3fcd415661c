import type { ReactNode } from "react";

/**
 * The box a table wider than the window scrolls in (the page itself never scrolls sideways). It takes the focus so
 * a keyboard can scroll it too (axe's scrollable-region-focusable), and is named for the region it becomes.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
