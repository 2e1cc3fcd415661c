import { expect, expectNoSidewaysScroll, raise, test, viewports } from "./fixtures";

for (const [size, viewport] of Object.entries(viewports)) {
  test.describe(`at ${size} size`, () => {
    test.use({ viewport });

    test(`${size}: back office fits the window, marks the current page, keeps the create form apart, and reads the audit`, async ({
      page,
      loginAs,
    }) => {
      await loginAs("staff@example.com");
      // A price edit to read back in the audit log by name, in a before/after diff.
      const { matches } = await (await page.request.get("/api/catalog")).json();
      const match = matches.find((m: any) => m.status === "OPEN" && m.home === "Everton");
      const selection = match.markets[0].selections[1];
      const higher = raise(selection.odds, 1);
      const res = await page.request.patch(`/api/admin/selections/${selection.id}`, {
        data: { odds: higher, expectedVersion: selection.version },
      });
      expect(res.status(), await res.text()).toBe(200);

      await page.goto("/admin/matches");
      const nav = page.getByRole("navigation", { name: "Back office" });
      await expect(nav.getByRole("link", { name: "Matches and odds" })).toHaveAttribute("aria-current", "page");
      await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Back office" })).toHaveAttribute(
        "aria-current",
        "page",
      );
      await expect(page.getByTestId("header-betting-state")).toHaveText("Betting: open");
      await expectNoSidewaysScroll(page);
      // The create form's inputs never overlap one another.
      const boxes = await page
        .locator(".create-match input")
        .evaluateAll((inputs) => inputs.map((i) => i.getBoundingClientRect().toJSON()));
      for (const [i, a] of boxes.entries())
        for (const b of boxes.slice(i + 1))
          expect(a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top, "inputs overlap").toBe(true);
      await page.screenshot({ path: `test-results/e2e/back-office-matches-${size}.png`, fullPage: true });

      await nav.getByRole("link", { name: "Audit log" }).click();
      await expect(nav.getByRole("link", { name: "Audit log" })).toHaveAttribute("aria-current", "page");
      const entry = page.getByTestId("audit-entry").filter({ hasText: "selection.odds" }).first();
      await expect(entry).toContainText(`${selection.name} (Everton v Fulham)`);
      await expect(entry.getByTestId("audit-diff")).toContainText(`odds: ${selection.odds} → ${higher}`);
      await expect(entry).toContainText("staff@example.com");
      await expectNoSidewaysScroll(page);
      await page.screenshot({ path: `test-results/e2e/back-office-audit-${size}.png`, fullPage: true });

      await nav.getByRole("link", { name: "Overview" }).click();
      await expect(nav.getByRole("link", { name: "Overview" })).toHaveAttribute("aria-current", "page");
      await expectNoSidewaysScroll(page);
      await page.screenshot({ path: `test-results/e2e/back-office-overview-${size}.png`, fullPage: true });
    });
  });
}
