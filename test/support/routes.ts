import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const appDir = fileURLToPath(new URL("../../app", import.meta.url));
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export const PLACEHOLDER_ID = "00000000-0000-4000-8000-000000000000";

/** `path` has PLACEHOLDER_ID for each dynamic segment, ready to request; `template` names them, OpenAPI style (`{id}`). */
export type RouteEndpoint = { method: (typeof METHODS)[number]; path: string; template: string; file: string };

/** Every route handler of the app, read from the file tree, so a route added later is covered automatically. */
export function discoverApiRoutes(): RouteEndpoint[] {
  const files = readdirSync(join(appDir, "api"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(`route.ts`));
  return files.flatMap((file) => {
    const source = readFileSync(join(appDir, "api", file), "utf8");
    const folder = file.slice(0, -"/route.ts".length);
    const path = "/api/" + urlPathOf(folder);
    const template = "/api/" + urlPathOf(folder, (name) => `{${name}}`);
    return METHODS.filter((m) => new RegExp(`export (const|async function|function) ${m}\\b`).test(source)).map((method) => ({
      method,
      path,
      template,
      file,
    }));
  });
}

/** Every page under a folder of app/, as URL paths. */
export function discoverPages(under: string): string[] {
  const root = join(appDir, under);
  return readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((f) => f === "page.tsx" || f.endsWith(`${sep}page.tsx`))
    .map((f) => "/" + urlPathOf(relative(appDir, join(root, f)).slice(0, -"page.tsx".length)).replace(/\/$/, ""));
}

function urlPathOf(folder: string, dynamic: (name: string) => string = () => PLACEHOLDER_ID): string {
  return folder
    .split(sep)
    .filter((segment) => !/^\(.*\)$/.test(segment)) // route groups do not appear in URLs
    .map((segment) => (/^\[.*\]$/.test(segment) ? dynamic(segment.slice(1, -1)) : segment))
    .join("/");
}

export const isStateChanging = (method: string) => method !== "GET";
