import { expect, test } from "./fixtures";

test("staff filter the audit log and page back through it", async ({ page, loginAs }) => {
  await loginAs("staff@example.com");
  // Two rounds of the kill switch: at least two betting.resume entries to page through.
  for (let round = 0; round < 2; round++) {
    for (const suspended of [true, false])
      expect((await page.request.post("/api/admin/betting", { data: { suspended } })).status()).toBe(200);
  }
  const entries = page.getByTestId("audit-entry");
  const actions = entries.locator("td:nth-child(3)");

  await page.goto("/admin/audit");
  await page.getByLabel("Action").fill("betting.resume");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/action=betting\.resume/);
  await expect(actions.first()).toHaveText("betting.resume");
  expect(new Set(await actions.allTextContents())).toEqual(new Set(["betting.resume"]));

  await page.goto("/admin/audit?action=betting.resume&limit=1");
  await expect(entries).toHaveCount(1);
  const newest = Number(await entries.first().getAttribute("data-entry-id"));
  await page.getByRole("link", { name: "Older" }).click();
  await expect(entries.first()).not.toHaveAttribute("data-entry-id", String(newest));
  expect(Number(await entries.first().getAttribute("data-entry-id"))).toBeLessThan(newest);
  await expect(actions).toHaveText(["betting.resume"]);
  await page.getByRole("link", { name: "Newest" }).click();
  await expect(entries.first()).toHaveAttribute("data-entry-id", String(newest));

  await page.getByRole("link", { name: "Clear" }).click();
  await expect(page.getByLabel("Action")).toHaveValue("");
  await page.goto("/admin/audit?cursor=junk");
  await expect(page.getByRole("alert").filter({ hasText: "not valid" })).toHaveText(
    "That page link is not valid any more; showing the newest entries.",
  );
  await expect(entries.first()).toBeVisible();
});
