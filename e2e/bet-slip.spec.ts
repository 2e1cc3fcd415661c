import { addToSlip, bettorOnLiveCatalog, expect, fundedBettor, openMatch, raise, signedInPage, test } from "./fixtures";

test("a bettor places two bets from the slip, gets two receipts and sees them recorded in My bets", async ({
  page,
  loginAs,
  newBettorEmail,
}) => {
  await fundedBettor(page, loginAs, newBettorEmail);
  await page.goto("/");
  await expect(page.getByTestId("balance")).toHaveText("€100.00");

  const match = openMatch(page, 6);
  const home = match.locator(".price").nth(0);
  const away = match.locator(".price").nth(2);
  await home.getByRole("button").click();
  await away.getByRole("button").click();
  await expect(home.getByRole("button")).toHaveAttribute("aria-pressed", "true");

  const slip = page.getByRole("complementary", { name: "Bet slip" });
  const lines = slip.getByTestId("slip-line");
  await expect(lines).toHaveCount(2);
  const homeOdds = await home.getByTestId("odds").innerText();
  await lines.nth(0).getByLabel("Stake (EUR)").fill("12.50");
  await lines.nth(1).getByLabel("Stake (EUR)").fill("5");
  // floor(1250 x odds) in cents, as the server computes it.
  const [units, cents] = homeOdds.split(".").map(Number);
  const expectedReturn = Math.floor((1250 * (units! * 100 + cents!)) / 100);
  await expect(lines.nth(0).getByTestId("potential-return")).toHaveText(
    new Intl.NumberFormat("en-GB", { style: "currency", currency: "EUR" }).format(expectedReturn / 100),
  );
  await expect(slip.getByTestId("slip-total")).toHaveText("€17.50");

  await slip.getByRole("button", { name: "Place 2 bets" }).click();
  const receipts = slip.getByTestId("receipt");
  await expect(receipts).toHaveCount(2);
  for (const receipt of await receipts.all()) {
    await expect(receipt.getByTestId("bet-reference")).not.toBeEmpty();
    await expect(receipt.getByTestId("receipt-status")).toHaveText("Open");
  }
  await expect(receipts.first()).toContainText("€12.50");
  await expect(page.getByTestId("balance")).toHaveText("€82.50");
  const references = await receipts.getByTestId("bet-reference").allInnerTexts();
  await page.screenshot({ path: "test-results/e2e/bet-slip-receipts.png", fullPage: true });

  await page.getByRole("link", { name: "My bets" }).click();
  await expect(page.getByRole("heading", { name: "My bets" })).toBeVisible();
  const rows = page.getByTestId("bet-row");
  await expect(rows).toHaveCount(2);
  for (const reference of references) {
    const row = rows.filter({ hasText: reference });
    // ACCEPTED until the flusher writes it to PostgreSQL (the page refreshes itself until then); Open to the bettor.
    await expect(row).toHaveAttribute("data-status", "RECORDED");
    await expect(row.getByTestId("bet-status")).toHaveText("Open");
  }
  await page.screenshot({ path: "test-results/e2e/my-bets.png", fullPage: true });
  await page.getByRole("link", { name: "Won" }).click();
  await expect(page.getByText("No won bets.")).toBeVisible();

  // The odds-change preference is remembered in this browser.
  await page.getByRole("link", { name: "Matches" }).click();
  await openMatch(page, 6).locator(".price").nth(1).getByRole("button").click();
  await page.getByLabel("When the odds change").selectOption("higher");
  await page.reload();
  await openMatch(page, 6).locator(".price").nth(1).getByRole("button").click();
  await expect(page.getByLabel("When the odds change")).toHaveValue("higher");
});

test("when staff change the price under an open slip, placing shows the new odds and one click accepts them", async ({
  page,
  browser,
  loginAs,
  newBettorEmail,
}) => {
  await bettorOnLiveCatalog(page, loginAs, newBettorEmail);
  const match = openMatch(page, 7);
  const matchId = (await match.getAttribute("data-match-id"))!;
  const before = await match.locator(".price").nth(1).getByTestId("odds").innerText();
  const { slip, line } = await addToSlip(page, match, 1, "10");

  const staff = await signedInPage(browser, "staff@example.com", `/admin/matches/${matchId}`);
  const editor = staff.getByTestId("odds-row").nth(1);
  const higher = raise(before, 25);
  await editor.getByRole("textbox").fill(higher);
  await editor.getByRole("button", { name: "Save" }).click();
  await expect(editor.getByRole("status")).toHaveText(`Saved: ${before} → ${higher}.`);

  // The line takes the new price at once, the old one struck through, and its return follows; Place says so.
  await expect(line.getByTestId("slip-odds")).toHaveText(higher);
  await expect(line.getByTestId("slip-old-odds")).toHaveText(before);
  await expect(line.getByTestId("slip-price-changed")).toContainText("Price up");
  const [units, cents] = higher.split(".").map(Number);
  await expect(line.getByTestId("potential-return")).toHaveText(`€${((1000 * (units! * 100 + cents!)) / 10_000).toFixed(2)}`);
  await slip.getByRole("button", { name: "Accept changes and place" }).click();

  const receipt = slip.getByTestId("receipt");
  await expect(receipt.getByTestId("receipt-odds")).toHaveText(higher);
  await expect(receipt.getByTestId("bet-reference")).not.toBeEmpty();
  await expect(page.getByTestId("balance")).toHaveText("€90.00");
  await page.screenshot({ path: "test-results/e2e/bet-slip-odds-changed.png", fullPage: true });
});

test("an anonymous visitor choosing a price is asked to sign in", async ({ page }) => {
  await page.goto("/");
  await openMatch(page, 0).locator(".price").first().getByRole("button").click();
  const prompt = page.getByRole("complementary", { name: "Bet slip" }).getByRole("alert");
  await expect(prompt).toContainText("sign in or register first");
  await prompt.getByRole("link", { name: "sign in" }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await page.goto("/bets");
  await expect(page).toHaveURL(/\/login\?next=%2Fbets$/);
});

test("a bettor deposits from the wallet page and sees the new balance", async ({ page, loginAs, newBettorEmail }) => {
  await loginAs(newBettorEmail);
  await page.goto("/");
  await page.getByRole("link", { name: "Wallet" }).click();
  await expect(page.getByTestId("wallet-balance")).toHaveText("€0.00");
  await page.getByLabel("Amount (EUR)").fill("25.50");
  await page.getByRole("button", { name: "Deposit" }).click();
  await expect(page.getByTestId("deposit-outcome")).toHaveText("Deposited €25.50. Your balance is now €25.50.");
  await expect(page.getByTestId("wallet-balance")).toHaveText("€25.50");
  // The available balance follows through the outbox relay; the page refreshes once it has landed.
  await expect(page.getByTestId("wallet-available")).toHaveText("€25.50");
  await expect(page.getByTestId("balance")).toHaveText("€25.50");
});
