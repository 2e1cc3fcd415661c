import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, newNonce } from "@/app/lib/content-security-policy";

/**
 * Runs before routing. Pages get a Content-Security-Policy with a fresh nonce: Next.js reads the nonce from the
 * request's CSP header and puts it on the scripts it renders, so every page renders per request (they all do: the
 * header reads the session). Paths holding a percent-encoding that is not UTF-8 are refused here, because Next.js
 * 16 answers them with a 500 when they fall in a dynamic segment (vercel/next.js#92527).
 */
export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (!isDecodable(pathname)) return badAddress(pathname);
  if (pathname.startsWith("/api/")) return NextResponse.next();
  const policy = contentSecurityPolicy(newNonce(), process.env.NODE_ENV === "development");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  return response;
}

function isDecodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

function badAddress(pathname: string): Response {
  const message = "The address is not valid: a percent-encoding in it is not UTF-8.";
  if (!pathname.startsWith("/api/"))
    return new NextResponse(message, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  return NextResponse.json(
    { error: { code: "VALIDATION_FAILED", message, issues: [{ path: "", message }] } },
    { status: 400, headers: { "cache-control": "no-store" } },
  );
}

export const config = {
  matcher: [
    {
      // Pages: not the API (it sets no CSP on JSON, and running the proxy there makes Next.js buffer request bodies
      // for it), not static files, not prefetches (no HTML, so no scripts to allow).
      source: "/((?!api|_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
    // Any path with a percent-encoding, API included, to check it decodes. No route of ours needs one (ids are UUIDs).
    "/:path(.*%.*)",
  ],
};
