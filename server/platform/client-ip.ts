/**
 * The client's address from X-Forwarded-For. Next.js fills the header with the socket address when no proxy did;
 * each trusted proxy appends the address it saw, so the entry `trustedHops` from the right is the first one no
 * client can forge. Entries further left are client-supplied and ignored.
 */
export function clientIpFrom(headers: Headers, trustedHops: number): string {
  const entries = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries[Math.max(0, entries.length - trustedHops)] ?? "unknown";
}
