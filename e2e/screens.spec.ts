import { expect, test } from "./fixtures";

// Screenshots of the pages issue 15 reworked, at phone size, for the before/after record (SCREENS_DIR, TAG).
const dir = process.env.SCREENS_DIR ?? "test-results/e2e/screens";
const tag = process.env.SCREENS_TAG ?? "after";

test.use({ viewport: { width: 390, height: 844 } });

test("phone screenshots: the slip after tapping a price, the back-office overview and audit log", async ({ page, loginAs }) => {
  await loginAs("alice@example.com");
  await page.goto("/");
  await page.locator('[data-testid="match"][data-status="OPEN"]').first().locator(".price button").first().click();
  await page.screenshot({ path: `${dir}/${tag}-phone-slip.png` });
  await page.request.post("/api/auth/logout");
  await loginAs("staff@example.com");
  for (const [name, path] of [
    ["overview", "/admin"],
    ["audit", "/admin/audit"],
    ["match", "/admin/matches"],
  ] as const) {
    await page.goto(path);
    await expect(page.locator("h1")).toBeVisible();
    await page.screenshot({ path: `${dir}/${tag}-phone-backoffice-${name}.png`, fullPage: true });
  }
});
