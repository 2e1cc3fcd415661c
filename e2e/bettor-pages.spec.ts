import { randomUUID } from "node:crypto";
import { expect, expectNoSidewaysScroll, fundedBettor, test, viewports } from "./fixtures";

for (const [size, viewport] of Object.entries(viewports)) {
  test.describe(`at ${size} size`, () => {
    // A zone other than UTC, so the page shows the bettor's own times.
    test.use({ viewport, timezoneId: "Europe/Stockholm" });

    test(`${size}: My bets in a bettor's words: Open and Settled filters, local times, cards that fit; readable wallet`, async ({
      page,
      loginAs,
      newBettorEmail,
    }) => {
      await fundedBettor(page, loginAs, newBettorEmail);
      const { matches } = await (await page.request.get("/api/catalog")).json();
      const selection = matches.find((m: any) => m.status === "OPEN").markets[0].selections[0];
      const res = await page.request.post("/api/bets", {
        data: { selectionId: selection.id, stake: 500, odds: selection.odds, idempotencyKey: randomUUID() },
      });
      expect(res.status(), await res.text()).toBe(201);

      await page.goto("/bets");
      const filters = page.getByRole("navigation", { name: "Show bets" });
      await expect(filters.getByRole("link", { name: "All" })).toHaveAttribute("aria-current", "page");
      await expect(page.getByTestId("bet-status")).toHaveText("Open");
      // Stockholm is CET or CEST, never UTC.
      await expect(page.getByTestId("bet-row").locator("time").first()).toHaveText(/CES?T/);
      await expectNoSidewaysScroll(page);
      await page.screenshot({ path: `test-results/e2e/my-bets-${size}.png`, fullPage: true });

      await filters.getByRole("link", { name: "Open" }).click();
      await expect(filters.getByRole("link", { name: "Open" })).toHaveAttribute("aria-current", "page");
      await expect(page.getByTestId("bet-row")).toHaveCount(1);
      await filters.getByRole("link", { name: "Settled" }).click();
      await expect(page.getByText("No settled bets.")).toBeVisible();

      // Dates in the bettor's calendar: today finds the bet, yesterday does not; the other filters are kept.
      await filters.getByRole("link", { name: "All" }).click();
      const dates = page.getByRole("form", { name: "Placed between" });
      const day = (offset: number) =>
        new Date(Date.now() + offset * 86_400_000).toLocaleDateString("sv-SE", { timeZone: "Europe/Stockholm" });
      await dates.getByLabel("From").fill(day(-1));
      await dates.getByLabel("To").fill(day(-1));
      await dates.getByRole("button", { name: "Show" }).click();
      await expect(page.getByText("No bets placed in those days.")).toBeVisible();
      await dates.getByLabel("From").fill(day(0));
      await dates.getByLabel("To").fill(day(0));
      await dates.getByRole("button", { name: "Show" }).click();
      await expect(page.getByTestId("bet-row")).toHaveCount(1);
      await expectNoSidewaysScroll(page);

      await page.getByRole("link", { name: "Wallet" }).click();
      await expect(page.getByRole("link", { name: "Wallet" })).toHaveAttribute("aria-current", "page");
      await expect(page.getByTestId("wallet")).toContainText("Available to bet");
      await expect(page.getByTestId("wallet")).not.toContainText("our books");
      await expectNoSidewaysScroll(page);
    });

    test(`${size}: the catalog opens on the seeded competitions and filters by search, competition and kick-off`, async ({ page }) => {
      await page.goto("/");
      const sections = page.locator("section.competition");
      await expect(sections.first()).toHaveAccessibleName(/^(Football|Ice Hockey): /);
      await expect(page.getByTestId("match").first().locator("time")).toHaveText(/CES?T/);

      await page.getByLabel("Search teams or competitions").fill("arsenal chelsea");
      await expect(page.getByTestId("match")).toHaveCount(1);
      await expect(page.getByTestId("match")).toContainText("Arsenal v Chelsea");
      await page.getByLabel("Search teams or competitions").fill("");

      await page.getByLabel("Competition", { exact: true }).selectOption("Ice Hockey · NHL");
      await expect(sections).toHaveCount(1);
      await expect(sections.first()).toHaveAccessibleName("Ice Hockey: NHL");
      await page.getByLabel("Competition", { exact: true }).selectOption("");

      await page.getByLabel("Starting in the next 24 hours").check();
      const soon = Date.now() + 24 * 3_600_000 + 60_000;
      for (const when of await page
        .getByTestId("match")
        .locator("time")
        .evaluateAll((ts) => ts.map((t) => t.getAttribute("datetime")!)))
        expect(Date.parse(when)).toBeLessThanOrEqual(soon);
      await expect(page.getByTestId("match").filter({ hasText: "Arsenal v Chelsea" })).toHaveCount(1);
      await expectNoSidewaysScroll(page);
    });
  });
}
