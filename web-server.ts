// A web instance (npm run web -- -p 3000 -H 127.0.0.1): the request handler `next start` uses, behind a plain
// node:http server, so that every request's X-Forwarded-For ends with its TCP peer before Next.js sees it.
// `next start` keeps a client's own header instead (see server/platform/client-ip.ts), and route handlers never see
// the socket, so rate limits by address and the loopback-only metrics need this.
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { withSocketAddress } from "@/server/platform/client-ip";

const { values } = parseArgs({ options: { port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" } } });
const port = Number(values.port ?? process.env.PORT ?? 3000);
const hostname = values.hostname;

// As `next start` does (node_modules/next/dist/bin/next): production unless told otherwise, before Next.js loads.
Object.assign(process.env, { NODE_ENV: process.env.NODE_ENV ?? "production" });
const { default: next } = await import("next");
const app = next({ dir: import.meta.dirname, hostname, port });
await app.prepare();
const handle = app.getRequestHandler();

const server = createServer((request, response) => {
  request.headers["x-forwarded-for"] = withSocketAddress(request.headers["x-forwarded-for"], request.socket.remoteAddress);
  handle(request, response).catch((error: unknown) => {
    console.error(`web: request for ${request.url} failed`, error);
    if (!response.headersSent) response.statusCode = 500;
    response.end();
  });
});
server.listen(port, hostname, () => console.log(`web: listening on ${hostname ?? "all interfaces"}, port ${port}`));

// Like `next start`: stop taking connections, let requests in flight finish, then close Next.js.
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    server.close(() => void app.close().finally(() => process.exit(0)));
    server.closeIdleConnections();
  });
}
