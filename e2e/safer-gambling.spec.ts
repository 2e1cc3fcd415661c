import { expect, signInThroughForm, test } from "./fixtures";

test("a bettor sets a deposit limit, is refused a deposit over it, withdraws, raises the limit and excludes themselves", async ({
  page,
  loginAs,
  newBettorEmail,
}) => {
  await loginAs(newBettorEmail);
  await page.goto("/wallet");
  await expect(page.getByTestId("limit-prompt")).toBeVisible();

  await page.getByLabel("Daily (24 hours) limit (EUR)").fill("50");
  await page.getByRole("button", { name: "Save limits" }).click();
  await expect(page.getByTestId("limits-outcome")).toHaveText("Saved: your limits apply now.");
  await expect(page.getByTestId("limit-prompt")).toHaveCount(0);

  await page.getByLabel("Amount (EUR)").fill("60");
  await page.getByRole("button", { name: "Deposit" }).click();
  await expect(page.getByTestId("deposit-outcome")).toContainText("You can deposit up to €50.00 for now.");
  await page.getByLabel("Amount (EUR)").fill("50");
  await page.getByRole("button", { name: "Deposit" }).click();
  await expect(page.getByTestId("deposit-outcome")).toHaveText("Deposited €50.00. Your balance is now €50.00.");
  await expect(page.getByTestId("limit-daily-used")).toHaveText("Deposited €50.00 of €50.00.");
  // The deposit reaches what is available to bet (and to withdraw) through the outbox relay.
  await expect.poll(async () => (await (await page.request.get("/api/wallet")).json()).available).toBe(5_000);

  await page.getByLabel("Amount to withdraw (EUR)").fill("20");
  await page.getByRole("button", { name: "Withdraw" }).click();
  await expect(page.getByTestId("withdraw-outcome")).toHaveText("Withdrew €20.00. Your balance is now €30.00.");
  const rows = page.getByTestId("transaction");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText("Withdrawal");
  await expect(rows.nth(0)).toContainText("-€20.00");
  await expect(rows.nth(0)).toContainText("€30.00");
  await expect(rows.nth(1)).toContainText("Deposit");

  // A raise waits 24 hours, and says until when.
  await page.getByLabel("Daily (24 hours) limit (EUR)").fill("100");
  await page.getByRole("button", { name: "Save limits" }).click();
  await expect(page.getByTestId("limits-outcome")).toContainText("only after 24 hours");
  await expect(page.getByTestId("limit-daily-pending")).toContainText("Rising to €100.00 on");
  await page.screenshot({ path: "test-results/e2e/wallet-limits.png", fullPage: true });

  await page.getByRole("link", { name: "Take a break or exclude yourself" }).click();
  await page.getByLabel("How long").selectOption({ label: "One week" });
  await page.getByRole("button", { name: "Exclude me" }).click();
  await expect(page.getByTestId("excluded-notice")).toContainText("You are signed out everywhere");
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  expect((await page.request.get("/api/auth/me")).status()).toBe(401);

  await signInThroughForm(page, newBettorEmail);
  await expect(page.getByRole("alert").filter({ hasText: "excluded from gambling until" })).toBeVisible();
});
