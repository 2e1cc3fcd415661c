import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { findHaproxy } from "./prerequisites";
import { startProcess, type ManagedProcess } from "./stack";

/**
 * HAProxy (Debian's package) in front of several web instances: round robin, each instance health-checked on the
 * no-op route, X-Forwarded-For appended (the instances trust one hop). Streams (SSE) stay open: the instances send
 * a comment every 15 s, well inside the idle timeouts.
 */
export function startLoadBalancer(configDir: string, port: number, backendPorts: number[]): ManagedProcess {
  const config = join(configDir, "haproxy.cfg");
  writeFileSync(
    config,
    [
      "# written by scripts/lib/load-balancer.ts",
      "defaults",
      "  mode http",
      "  option forwardfor",
      "  timeout connect 5s",
      "  timeout client 60s",
      "  timeout server 60s",
      "  timeout http-request 10s",
      "frontend web",
      `  bind 127.0.0.1:${port}`,
      "  default_backend instances",
      "backend instances",
      "  balance roundrobin",
      "  option httpchk GET /api/health/live",
      ...backendPorts.map((p, i) => `  server web${i + 1} 127.0.0.1:${p} check inter 2s`),
      "",
    ].join("\n"),
  );
  return startProcess(`haproxy:${port}`, findHaproxy(), ["-f", config, "-db"], {});
}
