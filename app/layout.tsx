import type { Metadata, Viewport } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { SiteHeader } from "@/app/components/site-header";
import { SlipProvider } from "@/app/components/slip-provider";
import { getSessionUser } from "@/app/lib/session";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Bookmaker", template: "%s · Bookmaker" },
  description: "A reference bookmaker: live odds, durable bets, exact payouts.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#0f3d2e" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await getSessionUser();
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <SiteHeader />
        <main id="main" className="page">
          {/* A new slip whenever someone else signs in on this tab. */}
          <SlipProvider key={user?.id ?? "anonymous"}>{children}</SlipProvider>
        </main>
        <footer className="site-footer">
          <Link href="/docs/api">API documentation</Link> · <a href="/api/openapi.json">OpenAPI</a>
        </footer>
      </body>
    </html>
  );
}
