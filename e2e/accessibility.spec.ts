import { mkdirSync, writeFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, expectNoSidewaysScroll, test, viewports } from "./fixtures";

// axe-core on every page, at both sizes, as each kind of visitor sees it: no serious or critical violation, and no
// page wider than the window. The counts per page (every impact) go to test-results/e2e/axe-<size>.json.

type Visit = { who: "anonymous" | "alice@example.com" | "staff@example.com"; path: string | ((page: Page) => Promise<string>) };

const firstAdminMatch = async (page: Page) => {
  await page.goto("/admin/matches");
  return (await page.getByTestId("admin-match").first().getByRole("link").getAttribute("href"))!;
};

const firstMatchPage = async (page: Page) => {
  await page.goto("/");
  return (await page.getByTestId("match-link").first().getAttribute("href"))!;
};

const visits: Visit[] = [
  { who: "anonymous", path: "/" },
  { who: "anonymous", path: "/login" },
  { who: "anonymous", path: "/register" },
  { who: "anonymous", path: "/docs/api" },
  { who: "anonymous", path: firstMatchPage },
  { who: "alice@example.com", path: "/" },
  { who: "alice@example.com", path: firstMatchPage },
  { who: "alice@example.com", path: "/bets" },
  { who: "alice@example.com", path: "/wallet" },
  { who: "staff@example.com", path: "/admin" },
  { who: "staff@example.com", path: "/admin/matches" },
  { who: "staff@example.com", path: firstAdminMatch },
  { who: "staff@example.com", path: "/admin/write-behind" },
  { who: "staff@example.com", path: "/admin/audit" },
];

for (const [size, viewport] of Object.entries(viewports)) {
  test(`${size}: every page has no serious or critical axe violation and no sideways scroll`, async ({ page, loginAs }) => {
    test.setTimeout(120_000);
    await page.setViewportSize(viewport);
    let signedInAs: Visit["who"] = "anonymous";
    const failures: string[] = [];
    const results: Record<string, Record<string, number>> = {};
    for (const visit of visits) {
      if (visit.who !== signedInAs) {
        await page.request.post("/api/auth/logout");
        if (visit.who !== "anonymous") await loginAs(visit.who);
        signedInAs = visit.who;
      }
      const path = typeof visit.path === "string" ? visit.path : await visit.path(page);
      await page.goto(path);
      await expect(page.locator("h1").first()).toBeVisible();
      await expectNoSidewaysScroll(page);
      const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
      const label = `${size} ${visit.who} ${typeof visit.path === "string" ? path : path.replace(/[0-9a-f-]{36}$/, ":id")}`;
      results[label] = { violations: violations.length };
      for (const v of violations) results[label][`${v.id} (${v.impact})`] = v.nodes.length;
      for (const v of violations.filter((v) => v.impact === "serious" || v.impact === "critical"))
        failures.push(`${label}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    }
    mkdirSync("test-results/e2e", { recursive: true });
    writeFileSync(`test-results/e2e/axe-${size}.json`, JSON.stringify(results, null, 2));
    expect(failures).toEqual([]);
  });
}
