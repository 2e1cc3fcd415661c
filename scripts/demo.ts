// npm run demo: the Playwright demos of every flow (bettor, trader, payout), recorded on video against the private
// test stack, and demo/index.html listing each demo's videos and screenshots. Extra arguments replace the list of
// specs, e.g. `npm run demo -- e2e/bet-slip.spec.ts`.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, relative } from "node:path";
import { projectRoot } from "./lib/stack";
import { run } from "./lib/run";

const demoSpecs = [
  "e2e/slip-within-reach.spec.ts", // the bettor on a phone and a desktop, the kill switch seen from an open page
  "e2e/bet-slip.spec.ts", // the bettor: slip, receipts, My bets, a moved price
  "e2e/live-odds.spec.ts", // the trader: live prices, a stale edit, suspend and the kill switch
  "e2e/match-lifecycle.spec.ts", // the payout: create, price, close, result, settle, the bettor paid
  "e2e/products.spec.ts", // more markets settled from the score, odds formats, a cash-out
  "e2e/match-page.spec.ts", // a match's page: every market live, the same slip, suspended and void markets
  "e2e/accumulators.spec.ts", // an accumulator from the slip to its payout, a leg's moved price explained
];
const specs = process.argv.slice(2).length > 0 ? process.argv.slice(2) : demoSpecs;
const results = join(projectRoot, "test-results", "e2e");
const out = join(projectRoot, "demo");

/**
 * Playwright records video with an ffmpeg build of its own (`npx playwright install ffmpeg`). Where that cannot be
 * downloaded, Debian's ffmpeg (`apt-get install ffmpeg`) stands in, linked where Playwright looks under a browsers
 * path of this project's own (Chromium is Debian's anyway, named in playwright.config.ts).
 */
function videoEnv(): Record<string, string> {
  const registry = JSON.parse(readFileSync(join(projectRoot, "node_modules", "playwright-core", "browsers.json"), "utf8")) as {
    browsers: { name: string; revision: string }[];
  };
  const folder = `ffmpeg-${registry.browsers.find((b) => b.name === "ffmpeg")!.revision}`;
  const cache = process.env.PLAYWRIGHT_BROWSERS_PATH ?? join(homedir(), ".cache", "ms-playwright");
  if (existsSync(join(cache, folder, "ffmpeg-linux"))) return {};
  const system = ["/usr/bin/ffmpeg", "/usr/local/bin/ffmpeg"].find((p) => existsSync(p));
  if (!system) throw new Error("Recording needs ffmpeg: `npx playwright install ffmpeg`, or on Debian `apt-get install ffmpeg`.");
  const own = join(projectRoot, ".data", "playwright");
  mkdirSync(join(own, folder), { recursive: true });
  if (!existsSync(join(own, folder, "ffmpeg-linux"))) symlinkSync(system, join(own, folder, "ffmpeg-linux"));
  return { PLAYWRIGHT_BROWSERS_PATH: own };
}

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/** Every file under `dir` with one of the extensions, as paths relative to `dir`. */
function filesUnder(dir: string, extensions: string[]): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => extensions.some((e) => f.endsWith(e)) && statSync(join(dir, f)).isFile())
    .sort();
}

function writePage(testsPassed: boolean) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  // Playwright keeps each test's video and screenshots in a folder named after the test; loose screenshots sit at the top.
  const groups = new Map<string, string[]>();
  for (const file of filesUnder(results, [".webm", ".png"])) {
    const group = file.includes("/") ? file.split("/")[0]! : "More screenshots";
    groups.set(group, [...(groups.get(group) ?? []), file]);
  }
  cpSync(results, join(out, "files"), { recursive: true, filter: (src) => statSync(src).isDirectory() || /\.(webm|png)$/.test(src) });
  const sections = [...groups].map(([group, files]) => {
    const media = files.map((file) => {
      const src = escape(`files/${file}`);
      return file.endsWith(".webm")
        ? `<figure><video controls preload="metadata" src="${src}"></video><figcaption>${escape(file)}</figcaption></figure>`
        : `<figure><a href="${src}"><img loading="lazy" src="${src}" alt="${escape(file)}"></a><figcaption>${escape(file)}</figcaption></figure>`;
    });
    return `<section><h2>${escape(group.replace(/-/g, " "))}</h2><div class="media">${media.join("\n")}</div></section>`;
  });
  writeFileSync(
    join(out, "index.html"),
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bookmaker demos</title>
<style>
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:80rem;padding:1rem 2rem;color:#14201b}
.media{display:grid;grid-template-columns:repeat(auto-fill,minmax(22rem,1fr));gap:1rem}
figure{margin:0}video,img{width:100%;border:1px solid #d9e1dc;border-radius:6px}figcaption{font-size:.8rem;color:#56645d}
</style></head><body>
<h1>Bookmaker demos</h1>
<p>Recorded ${escape(new Date().toISOString())} from ${specs.map(escape).join(", ")}${testsPassed ? "" : " (<strong>some demos failed</strong>: see the test output)"}.</p>
${sections.join("\n")}
</body></html>
`,
  );
  console.log(`\nDemo page: ${relative(process.cwd(), join(out, "index.html"))} (${groups.size} demos)`);
}

async function main() {
  let passed = true;
  try {
    const env = { ...process.env, ...videoEnv(), DEMO: "1" };
    await run("npx", ["tsx", "scripts/test.ts", "e2e", ...specs], { cwd: projectRoot, quiet: false, env });
  } catch {
    passed = false;
  }
  writePage(passed);
  process.exitCode = passed ? 0 : 1;
}

void main();
