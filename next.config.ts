import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // forbidden() renders a real 403 for bettors who reach the back office.
  experimental: { authInterrupts: true },
  // Native and worker-thread packages load from node_modules at run time instead of being bundled.
  serverExternalPackages: ["@node-rs/argon2", "pino", "bullmq", "ioredis", "postgres"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
