/**
 * The pages' Content-Security-Policy: scripts and styles only from this origin or carrying the request's nonce
 * (Next.js puts it on its own inline scripts), and 'strict-dynamic' so the scripts it trusts may load their chunks.
 * No plugins, no <base> elsewhere, no framing, forms post only here; fetch and Server-Sent Events stay same-origin.
 */
export function contentSecurityPolicy(nonce: string, isDevelopment = false): string {
  const directives = [
    "default-src 'self'",
    // React's development build reconstructs server errors with eval(); production never evals.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDevelopment ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  return directives.join("; ");
}

/** 128 random bits, base64: unguessable and new for every response. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}
