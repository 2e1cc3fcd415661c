import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  experimental: {
    // forbidden() renders a real 403 for bettors who reach the back office.
    authInterrupts: true,
    // Next.js buffers the body of every request the proxy sees (10 MB by default). No page takes a body (there are no
    // server actions) and API bodies stop at 64 KB (app/lib/handler.ts), so it never needs more.
    proxyClientMaxBodySize: "64kb",
  },
  // Native and worker-thread packages load from node_modules at run time instead of being bundled.
  serverExternalPackages: ["@node-rs/argon2", "pino", "bullmq", "ioredis", "postgres"],
  poweredByHeader: false,
  typedRoutes: false,
  // Pages get their Content-Security-Policy, with a nonce, from proxy.ts.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
        ],
      },
      {
        // JSON and event streams are never documents: nothing may run, load or frame them.
        source: "/api/:path*",
        headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }],
      },
    ];
  },
};

export default nextConfig;
