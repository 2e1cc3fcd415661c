import type { Page } from "@playwright/test";
import {
  addToSlip,
  bettorOnLiveCatalog,
  expect,
  expectNoSidewaysScroll,
  expectWithinViewport,
  fundedBettor,
  openMatch,
  signedInPage,
  test,
  viewports,
} from "./fixtures";

const slipOf = (page: Page) => page.getByRole("complementary", { name: "Bet slip" });

for (const [size, viewport] of Object.entries(viewports)) {
  test.describe(`at ${size} size`, () => {
    test.use({ viewport });

    test(`${size}: choosing a price puts its stake under the finger, Place in the window, and the receipt in focus`, async ({
      page,
      loginAs,
      newBettorEmail,
    }) => {
      await fundedBettor(page, loginAs, newBettorEmail);
      await page.goto("/");
      await expectNoSidewaysScroll(page);
      const match = openMatch(page, 8);
      const draw = match.locator(".price").nth(1).getByRole("button");
      // The price reads as its name and odds, with a space between them.
      await expect(draw).toHaveAccessibleName(/^Draw \d+\.\d{2}$/);
      await draw.click();

      const slip = slipOf(page);
      const line = slip.getByTestId("slip-line");
      const stake = line.getByLabel("Stake (EUR)");
      await expect(stake).toBeFocused();
      const place = slip.getByRole("button", { name: "Place bet" });
      await expectWithinViewport(page, place);
      if (size === "phone") await expect(page.getByTestId("slip-bar")).toContainText("Bet slip (1)");

      // Limits and "max" are shown before any refusal, in euros; the max is bounded by the available balance.
      await expect(line.getByTestId("stake-limits")).toHaveText("Stake €1.00 to €100.00");
      await stake.fill("0.50");
      await expect(line.getByTestId("stake-error")).toHaveText("The minimum stake is €1.00.");
      await expect(place).toBeDisabled();
      await stake.fill("150");
      await expect(line.getByTestId("stake-error")).toHaveText("That is more than your available balance (€100.00).");
      await line.getByRole("button", { name: "Maximum, €100.00" }).click();
      await expect(stake).toHaveValue("100.00");
      await line.getByRole("button", { name: "€10.00" }).click();
      await expect(stake).toHaveValue("10.00");
      await expect(slip.getByTestId("slip-total")).toHaveText("€10.00");
      await expectWithinViewport(page, place);
      await page.screenshot({ path: `test-results/e2e/slip-${size}-line.png` });

      await place.click();
      const receipt = slip.getByTestId("receipt");
      await expect(receipt).toBeFocused();
      await expect(receipt.getByTestId("receipt-status")).toHaveText("Open");
      await expect(page.getByTestId("balance")).toHaveText("€90.00");
      // The line's "max" follows the balance that is left.
      await match.locator(".price").nth(0).getByRole("button").click();
      await expect(slip.getByTestId("slip-line").getByTestId("stake-limits")).toHaveText("Stake €1.00 to €90.00");
      await page.screenshot({ path: `test-results/e2e/slip-${size}-receipt.png` });
    });

    test(`${size}: with many lines the slip scrolls inside and Place stays in the window`, async ({ page, loginAs, newBettorEmail }) => {
      await fundedBettor(page, loginAs, newBettorEmail);
      await page.goto("/");
      for (let i = 9; i < 15; i++) await addToSlip(page, openMatch(page, i), 0, "1");
      const slip = slipOf(page);
      await expect(slip.getByTestId("slip-line")).toHaveCount(6);
      await expectWithinViewport(page, slip.getByRole("button", { name: "Place 6 bets" }));
      await expectWithinViewport(page, slip.getByTestId("slip-total"));
      await expectNoSidewaysScroll(page);
      if (size === "phone") {
        // The sheet closes to its bar, which keeps the count and the total.
        await slip.getByRole("button", { name: "Close" }).click();
        await expect(slip.getByTestId("slip-line").first()).toBeHidden();
        await expect(page.getByTestId("slip-bar")).toHaveText(/Bet slip \(6\) · €6\.00/);
        await page.getByTestId("slip-bar").click();
        await expect(slip.getByTestId("slip-line").first()).toBeVisible();
      }
    });

    test(`${size}: the kill switch reaches an open page: banner, locked prices, Place disabled with the reason, then cleared`, async ({
      page,
      browser,
      loginAs,
      newBettorEmail,
    }) => {
      await bettorOnLiveCatalog(page, loginAs, newBettorEmail);
      const price = openMatch(page, 15).locator(".price").first();
      const { slip } = await addToSlip(page, openMatch(page, 15), 0, "2");
      const staff = await signedInPage(browser, "staff@example.com", "/admin");
      const setBetting = async (suspended: boolean) =>
        expect((await staff.request.post("/api/admin/betting", { data: { suspended, reason: "e2e" } })).status()).toBe(200);

      await setBetting(true);
      try {
        await expect(page.getByTestId("betting-paused")).toContainText("Betting is paused.");
        await expect(price).toHaveAttribute("data-locked", "true");
        const other = openMatch(page, 16).locator(".price").first();
        await expect(other.getByRole("button")).toHaveAttribute("aria-disabled", "true");
        await expect(slip.getByTestId("slip-blocked")).toHaveText("Cannot be placed: betting is paused.");
        await expect(slip.getByRole("button", { name: "Place bet" })).toBeDisabled();
        await expect(slip.getByTestId("place-disabled-because")).toHaveText("Nothing can be placed: betting is paused.");
        // A locked price cannot be added to the slip.
        await other.getByRole("button").click({ force: true });
        await expect(slip.getByTestId("slip-line")).toHaveCount(1);
        await page.screenshot({ path: `test-results/e2e/kill-switch-${size}.png` });
      } finally {
        await setBetting(false);
      }
      await expect(page.getByTestId("betting-paused")).toHaveCount(0);
      await expect(price).toHaveAttribute("data-locked", "false");
      await expect(slip.getByTestId("slip-blocked")).toHaveCount(0);
      await slip.getByRole("button", { name: "Place bet" }).click();
      await expect(slip.getByTestId("receipt")).toBeVisible();
    });
  });
}

test("a suspended match locks its prices and its slip line until it resumes, at once", async ({
  page,
  browser,
  loginAs,
  newBettorEmail,
}) => {
  await bettorOnLiveCatalog(page, loginAs, newBettorEmail);
  const matchId = (await openMatch(page, 17).getAttribute("data-match-id"))!;
  // Found by id: once suspended it is no longer among the open matches.
  const row = page.locator(`[data-testid="match"][data-match-id="${matchId}"]`);
  const { slip, line } = await addToSlip(page, row, 2, "3");

  const staff = await signedInPage(browser, "staff@example.com", `/admin/matches/${matchId}`);
  // Through the API: the bettor's page learns of it from the odds stream alone.
  const suspend = async (action: "suspend" | "resume") =>
    expect((await staff.request.post(`/api/admin/matches/${matchId}/${action}`)).status()).toBe(200);
  await suspend("suspend");
  await expect(row).toHaveAttribute("data-status", "SUSPENDED");
  await expect(row.locator(".price").first().getByRole("button")).toHaveAttribute("aria-disabled", "true");
  await expect(line.getByTestId("slip-blocked")).toHaveText("Cannot be placed: suspended for the moment.");
  await expect(slip.getByRole("button", { name: "Place bet" })).toBeDisabled();

  await suspend("resume");
  await expect(row).toHaveAttribute("data-status", "OPEN");
  await expect(line.getByTestId("slip-blocked")).toHaveCount(0);
  await expect(slip.getByRole("button", { name: "Place bet" })).toBeEnabled();
});
