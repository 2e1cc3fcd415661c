import { randomBytes } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import type { Page, TestInfo } from "@playwright/test";
import { createMatchThroughApi, expect, fundedBettor, settleFromScore, signedInPage, slipOf, test, viewports } from "./fixtures";

// Settlement waits on the flusher (completion markers) and the payout job; generous, never a timing assertion.
const SLOW = { timeout: 60_000 };

/** A full-page screenshot kept with the test's results and attached to the report. */
async function snapshot(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

for (const [size, viewport] of Object.entries(viewports)) {
  test.describe(`at ${size} size`, () => {
    test.use({ viewport });

    test(`${size}: a 2-leg accumulator built on the catalog and a match's page, placed from the slip, won and paid`, async ({
      page,
      browser,
      loginAs,
      newBettorEmail,
    }, testInfo) => {
      const tag = randomBytes(3).toString("hex");
      const staff = await signedInPage(browser, "staff@example.com", "/admin");
      staff.on("dialog", (dialog) => void dialog.accept()); // "Close betting" and "Settle" ask for confirmation
      const first = await createMatchThroughApi(staff, { competition: "Acca Cup", home: `Quay ${tag}`, away: `Dune ${tag}` });
      const second = await createMatchThroughApi(staff, {
        competition: "Acca Cup",
        home: `Fjord ${tag}`,
        away: `Delta ${tag}`,
        markets: [{ type: "TOTAL_GOALS", line: "2.5", odds: { over: "1.90", under: "1.95" } }],
      });

      // The first leg from the catalog: the first match's home side at 2.10.
      await fundedBettor(page, loginAs, newBettorEmail);
      await page.goto("/");
      await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-live", "true");
      await page.getByLabel("Search teams or competitions").fill(tag);
      const row = page.locator(`[data-testid="match"][data-match-id="${first.id}"]`);
      await row.locator(".price").first().getByRole("button").click();
      const slip = slipOf(page);
      await expect(slip.getByTestId("slip-line")).toHaveCount(1);
      if (size === "phone") await slip.getByRole("button", { name: "Close" }).click();

      // The second from the other match's own page, into the same slip: Over 2.5 at 1.90.
      await page.getByRole("link", { name: `Fjord ${tag} v Delta ${tag}` }).click();
      await page.waitForURL(`/matches/${second.id}`);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Fjord ${tag} v Delta ${tag}`);
      await page
        .getByRole("list", { name: `Total goals 2.5: Fjord ${tag} v Delta ${tag}` })
        .getByRole("button", { name: /Over 2\.5/ })
        .click();
      await expect(slip.getByTestId("slip-line")).toHaveCount(2);

      // Accumulator: combined odds 2.10 x 1.90 = 3.99, one stake of 10.00, return floor(1000 x 3.99) = 39.90.
      await slip.getByRole("radio", { name: "Accumulator" }).check();
      await expect(slip.getByTestId("accumulator-leg")).toHaveCount(2);
      await expect(slip.getByTestId("accumulator-odds")).toHaveText("3.99");
      const stake = slip.getByLabel("Accumulator stake (EUR)");
      await expect(slip.getByTestId("accumulator-limits")).toHaveText("Stake €1.00 to €100.00");
      await stake.fill("10");
      await expect(slip.getByTestId("accumulator-return")).toHaveText("€39.90");
      await snapshot(page, testInfo, `1-accumulator-in-the-slip-${size}`);
      await slip.getByRole("button", { name: "Place accumulator" }).click();

      const receipt = slip.getByTestId("accumulator-receipt");
      await expect(receipt).toBeFocused();
      await expect(receipt.getByTestId("receipt-status")).toHaveText("Open");
      await expect(receipt.getByTestId("receipt-odds")).toHaveText("3.99");
      await expect(receipt.getByTestId("receipt-return")).toHaveText("€39.90");
      await expect(receipt.getByTestId("receipt-leg")).toHaveText([
        `Quay ${tag}, Quay ${tag} v Dune ${tag} @ 2.10`,
        `Over 2.5, Fjord ${tag} v Delta ${tag} @ 1.90`,
      ]);
      await expect(receipt.getByTestId("bet-reference")).not.toBeEmpty();
      // Its selections went into the accumulator: the slip holds only the receipt.
      await expect(slip.getByTestId("slip-line")).toHaveCount(0);
      await expect(page.getByTestId("balance")).toHaveText("€90.00");
      await snapshot(page, testInfo, `2-accumulator-receipt-${size}`);

      // Staff close both matches and enter their scores: 1-0 (home wins), 2-1 (three goals: over 2.5 wins).
      await settleFromScore(staff, first.id, [1, 0]);
      await settleFromScore(staff, second.id, [2, 1]);
      await snapshot(staff, testInfo, `3-staff-second-match-settled-${size}`);

      await page.goto("/bets");
      const bet = page.getByTestId("bet-row").filter({ hasText: "Accumulator, 2 legs" });
      await expect(bet.getByTestId("bet-status")).toHaveText("Won", SLOW);
      await expect(bet.getByTestId("bet-payout")).toContainText("€39.90");
      await expect(bet.getByTestId("bet-leg")).toHaveCount(2);
      for (const leg of await bet.getByTestId("bet-leg").all()) await expect(leg).toHaveAttribute("data-result", "WON");
      // The winnings reach the wallet bets are taken against through the outbox relay.
      await expect.poll(async () => (await (await page.request.get("/api/wallet")).json()).available, SLOW).toBe(12_990);
      await page.reload();
      await expect(page.getByTestId("balance")).toHaveText("€129.90");
      await snapshot(page, testInfo, `4-my-bets-accumulator-won-${size}`);
    });

    test(`${size}: a leg's price moves before the accumulator reaches us: the slip names the leg and its new price, one click places it`, async ({
      page,
      browser,
      loginAs,
      newBettorEmail,
    }, testInfo) => {
      const tag = randomBytes(3).toString("hex");
      const staff = await signedInPage(browser, "staff@example.com", "/admin");
      const first = await createMatchThroughApi(staff, { competition: "Acca Cup", home: `Cove ${tag}`, away: `Moor ${tag}` });
      const second = await createMatchThroughApi(staff, { competition: "Acca Cup", home: `Heath ${tag}`, away: `Marsh ${tag}` });
      const away = second.markets[0].selections[2];

      // The page hears nothing from the odds stream, so the move reaches it only as the server's refusal.
      await page.route("**/api/odds/stream", (route) => route.abort());
      await fundedBettor(page, loginAs, newBettorEmail);
      await page.goto("/");
      await page.getByLabel("Search teams or competitions").fill(tag);
      const slip = slipOf(page);
      await page.locator(`[data-testid="match"][data-match-id="${first.id}"]`).locator(".price").first().getByRole("button").click();
      if (size === "phone") await slip.getByRole("button", { name: "Close" }).click();
      await page.locator(`[data-testid="match"][data-match-id="${second.id}"]`).locator(".price").nth(2).getByRole("button").click();
      await slip.getByRole("radio", { name: "Accumulator" }).check();
      await slip.getByLabel("Accumulator stake (EUR)").fill("5");
      await expect(slip.getByTestId("accumulator-odds")).toHaveText("7.56"); // 2.10 x 3.60

      const moved = await staff.request.patch(`/api/admin/selections/${away.id}`, {
        data: { odds: "4.00", expectedVersion: away.version },
      });
      expect(moved.status(), await moved.text()).toBe(200);
      await slip.getByRole("button", { name: "Place accumulator" }).click();

      const outcome = slip.getByTestId("accumulator-outcome");
      await expect(outcome).toContainText("Not placed: the odds changed on one leg.");
      await expect(outcome.getByTestId("moved-leg")).toHaveText(`Marsh ${tag}, Heath ${tag} v Marsh ${tag}: 3.60 → 4.00`);
      await expect(outcome.getByTestId("new-accumulator-odds")).toHaveText("8.40");
      await expect(outcome.getByTestId("new-accumulator-return")).toHaveText("€42.00");
      const leg = slip.getByTestId("accumulator-leg").filter({ hasText: `Heath ${tag}` });
      await expect(leg.getByTestId("leg-odds-changed")).toHaveText("Price moved to 4.00 before your bet reached us.");
      await expect(page.getByTestId("balance")).toHaveText("€100.00");
      await snapshot(page, testInfo, `odds-changed-on-a-leg-${size}`);
      // The slip with its refusal open has no serious or critical accessibility violation.
      const { violations } = await new AxeBuilder({ page })
        .include("#bet-slip")
        .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
        .analyze();
      expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

      // Place now takes the new prices (a new body, so a new idempotency key).
      await slip.getByRole("button", { name: "Accept new odds and place" }).click();
      const receipt = slip.getByTestId("accumulator-receipt");
      await expect(receipt.getByTestId("receipt-odds")).toHaveText("8.40");
      await expect(receipt.getByTestId("receipt-return")).toHaveText("€42.00");
      await expect(page.getByTestId("balance")).toHaveText("€95.00");
    });
  });
}

test("an accumulator's refusals are explained: two selections from one match, a stake over the balance", async ({
  page,
  browser,
  loginAs,
  newBettorEmail,
}) => {
  const tag = randomBytes(3).toString("hex");
  const staff = await signedInPage(browser, "staff@example.com", "/admin");
  const first = await createMatchThroughApi(staff, { competition: "Acca Cup", home: `Ridge ${tag}`, away: `Vale ${tag}` });
  const second = await createMatchThroughApi(staff, { competition: "Acca Cup", home: `Weald ${tag}`, away: `Combe ${tag}` });
  await fundedBettor(page, loginAs, newBettorEmail);
  await page.goto("/");
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-live", "true");
  await page.getByLabel("Search teams or competitions").fill(tag);
  const slip = slipOf(page);
  const firstRow = page.locator(`[data-testid="match"][data-match-id="${first.id}"]`);
  await firstRow.locator(".price").nth(0).getByRole("button").click();
  await firstRow.locator(".price").nth(1).getByRole("button").click();

  // Two selections of one match: singles only, and the slip says why before the bettor asks.
  await expect(slip.getByTestId("accumulator-note")).toHaveText(
    `No accumulator: two selections from the same match cannot be combined: Ridge ${tag} and Draw are both on Ridge ${tag} v Vale ${tag}. Remove one of them.`,
  );
  await slip.getByRole("radio", { name: "Accumulator" }).check();
  await expect(slip.getByTestId("accumulator-unavailable")).toContainText("Two selections from the same match cannot be combined");
  await expect(slip.getByRole("button", { name: "Place accumulator" })).toBeDisabled();

  // One of them out, one from another match in: an accumulator; a stake over the balance is named before sending.
  await slip.getByRole("button", { name: `Remove Draw, Ridge ${tag} v Vale ${tag}` }).click();
  await expect(slip.getByTestId("accumulator-unavailable")).toContainText("needs at least two selections");
  await page.locator(`[data-testid="match"][data-match-id="${second.id}"]`).locator(".price").nth(1).getByRole("button").click();
  await expect(slip.getByTestId("accumulator-unavailable")).toHaveCount(0);
  await expect(slip.getByLabel("Accumulator stake (EUR)")).toBeFocused();
  await slip.getByLabel("Accumulator stake (EUR)").fill("150");
  await expect(slip.getByTestId("stake-error")).toHaveText("That is more than your available balance (€100.00).");
  await expect(slip.getByRole("button", { name: "Place accumulator" })).toBeDisabled();
  await slip.getByRole("button", { name: "Maximum, €100.00" }).click();
  await expect(slip.getByLabel("Accumulator stake (EUR)")).toHaveValue("100.00");
  await expect(slip.getByRole("button", { name: "Place accumulator" })).toBeEnabled();

  // Money spent elsewhere meanwhile (a withdrawal in another tab): the server's INSUFFICIENT_FUNDS is explained.
  const withdrawn = await page.request.post("/api/wallet/withdrawals", { data: { amount: 5_000, idempotencyKey: `e2e-${tag}` } });
  expect(withdrawn.status(), await withdrawn.text()).toBe(201);
  await slip.getByRole("button", { name: "Place accumulator" }).click();
  const outcome = slip.getByTestId("accumulator-outcome");
  await expect(outcome).toContainText("Not placed: your available balance (€50.00) is too low for this stake.");
  await expect(outcome.getByRole("link", { name: "Deposit" })).toBeVisible();
});
