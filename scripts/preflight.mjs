// Runs before npm start / npm test with plain Node (no dependencies yet): a clear message instead of a stack trace.
import { existsSync } from "node:fs";

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(
    `Node.js 20.19 or newer is required; this is ${process.versions.node}. On Debian: apt-get install nodejs (or use nodesource).`,
  );
  process.exit(1);
}
if (!existsSync(new URL("../node_modules/.bin/tsx", import.meta.url))) {
  console.error("Dependencies are not installed: run `npm install` first.");
  process.exit(1);
}
