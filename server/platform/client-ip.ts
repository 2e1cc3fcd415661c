/**
 * What the proxies in front say about the client. Next.js fills X-Forwarded-For (the socket address) and
 * X-Forwarded-Proto (whether the socket is TLS) when no proxy did; each trusted proxy appends what it saw, so the
 * entry `trustedHops` from the right is the first one no client can forge. Entries further left are
 * client-supplied and ignored.
 */
function trustedEntry(header: string | null, trustedHops: number): string | undefined {
  const entries = (header ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries[Math.max(0, entries.length - trustedHops)];
}

/** The client's address from X-Forwarded-For. */
export function clientIpFrom(headers: Headers, trustedHops: number): string {
  return trustedEntry(headers.get("x-forwarded-for"), trustedHops) ?? "unknown";
}

/**
 * Whether the client reached us over HTTPS, from X-Forwarded-Proto. A forged "https" could only make the forger's
 * own session cookie Secure (unusable over plain HTTP), so this may add protection but never remove it.
 */
export function isHttpsFrom(headers: Headers, trustedHops: number): boolean {
  return trustedEntry(headers.get("x-forwarded-proto"), trustedHops)?.toLowerCase() === "https";
}
