/**
 * X-Forwarded-For as route handlers see it. Next.js cannot be trusted to add the TCP peer: `next start` only fills
 * the header when the request has none (node_modules/next/dist/server/base-server.js, handleRequestImpl:
 * `req.headers['x-forwarded-for'] ??= socket.remoteAddress`, Next.js 16.4), so a client's own header reaches route
 * handlers unchanged and the socket address is lost. web-server.ts therefore appends the socket address to every
 * request before Next.js sees it: the last entry is always the TCP peer, and each trusted proxy in front appended,
 * just before it, the address it saw.
 */
export function withSocketAddress(forwardedFor: string | string[] | undefined, socketAddress: string | undefined): string {
  const earlier = [forwardedFor ?? []].flat().join(", ");
  const peer = socketAddress ?? "unknown";
  return earlier ? `${earlier}, ${peer}` : peer;
}

function forwardedEntries(headers: Headers): string[] {
  return (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => entry.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "")); // an IPv4 client on a dual-stack socket
}

/**
 * The client's address: the entry `trustedProxyHops` to the left of the socket's (0: the socket address itself).
 * Entries further left are client-supplied and ignored.
 */
export function clientIpFrom(headers: Headers, trustedProxyHops: number): string {
  const entries = forwardedEntries(headers);
  return entries[Math.max(0, entries.length - 1 - trustedProxyHops)] ?? "unknown";
}

export function isLoopbackAddress(address: string): boolean {
  return /^127\.\d+\.\d+\.\d+$/.test(address) || address === "::1";
}

/** True when the client and every trusted hop between it and this server are on this machine. */
export function isFromLoopback(headers: Headers, trustedProxyHops: number): boolean {
  const entries = forwardedEntries(headers);
  const path = entries.slice(Math.max(0, entries.length - 1 - trustedProxyHops));
  return path.length > 0 && path.every(isLoopbackAddress);
}

/**
 * Whether the client reached us over HTTPS, from X-Forwarded-Proto: the entry written by the outermost trusted
 * proxy (each appends what it saw; with no trusted proxy, nothing the request says is believed). A forged "https"
 * could only make the forger's own session cookie Secure (unusable over plain HTTP), so this may add protection but
 * never remove it.
 */
export function isHttpsFrom(headers: Headers, trustedProxyHops: number): boolean {
  if (trustedProxyHops === 0) return false;
  const entries = (headers.get("x-forwarded-proto") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries[Math.max(0, entries.length - trustedProxyHops)]?.toLowerCase() === "https";
}
