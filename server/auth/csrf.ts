const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A state-changing request is refused when the browser says it comes from another site: its Origin differs from
 * the host it was sent to (and is not explicitly allowed), or Sec-Fetch-Site says cross-site. Requests without
 * either header come from non-browser clients, which carry no ambient cookies to abuse.
 * See OWASP's CSRF cheat sheet, "Verifying Origin with standard headers".
 */
export function isCrossSiteRequest(method: string, headers: Headers, allowedOrigins: readonly string[] = []): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return false;
  const origin = headers.get("origin");
  if (origin && origin !== "null") {
    if (allowedOrigins.includes(origin)) return false;
    const host = headers.get("host");
    try {
      return new URL(origin).host !== host;
    } catch {
      return true;
    }
  }
  if (origin === "null") return true; // sandboxed frames and some redirects: never trusted
  return headers.get("sec-fetch-site") === "cross-site";
}
