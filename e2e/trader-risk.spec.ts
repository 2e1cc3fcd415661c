import { randomBytes } from "node:crypto";
import { addToSlip, bettorOnLiveCatalog, expect, fillMatchForm, signedInPage, test } from "./fixtures";

test("a trader watches a selection's liability move as a bettor in another browser bets, then caps it", async ({
  page,
  browser,
  loginAs,
  newBettorEmail,
}, testInfo) => {
  const tag = randomBytes(3).toString("hex");
  const [home, away] = [`Harbour ${tag}`, `Quarry ${tag}`];
  const staff = await signedInPage(browser, "staff@example.com", "/admin/matches");
  await fillMatchForm(staff, { competition: "Risk Cup", home, away });
  await staff.getByRole("button", { name: "Create match" }).click();
  await staff.getByRole("link", { name: "Edit its odds" }).click();
  await staff.waitForURL(/\/admin\/matches\/[0-9a-f-]+$/);
  const homeRow = staff.getByTestId("liability-row").first();
  await expect(homeRow.getByTestId("liability-bets")).toHaveText("0");
  await expect(staff.getByRole("table", { name: /Match result · book/ })).toBeVisible();

  // A bettor in another browser backs the home side (2.00) with 10.00.
  await bettorOnLiveCatalog(page, loginAs, newBettorEmail);
  const match = page.getByTestId("match").filter({ hasText: home });
  const { slip } = await addToSlip(page, match, 0, "10");
  await slip.getByRole("button", { name: "Place bet" }).click();
  await expect(slip.getByTestId("receipt").getByTestId("receipt-status")).toHaveText("Open");

  // The trader's screen follows without a reload: payout 20.00 less the market's stakes 10.00.
  await expect(homeRow.getByTestId("liability-bets")).toHaveText("1");
  await expect(homeRow.getByTestId("liability-amount")).toHaveAttribute("data-amount", "1000");
  await staff.screenshot({ path: testInfo.outputPath("1-trader-liability.png"), fullPage: true });

  // The trader caps any selection's liability at 15.00: another 10.00 on the home side (10.00 more) is refused.
  await staff.getByLabel("New cap").fill("15");
  await staff.getByRole("button", { name: "Set cap" }).click();
  await expect(staff.getByTestId("cap-outcome")).toContainText("Cap set to €15.00");
  await expect(staff.getByTestId("liability-cap")).toHaveText("€15.00");
  await page.reload();
  const again = await addToSlip(page, page.getByTestId("match").filter({ hasText: home }), 0, "10");
  await again.slip.getByRole("button", { name: "Place bet" }).click();
  await expect(again.slip).toContainText("liability over its limit");
  await page.screenshot({ path: testInfo.outputPath("2-bettor-refused.png"), fullPage: true });
  await expect(homeRow.getByTestId("liability-bets")).toHaveText("1");
});

test("staff find a bettor by email and lower their stake factor", async ({ browser, loginAs, newBettorEmail }) => {
  await loginAs(newBettorEmail);
  const staff = await signedInPage(browser, "staff@example.com", "/admin/users");
  await staff.getByLabel("Email starts with").fill(newBettorEmail.toUpperCase());
  await staff.getByRole("button", { name: "Find" }).click();
  const row = staff.getByTestId("admin-user").filter({ hasText: newBettorEmail });
  await expect(row.getByLabel("Stake factor")).toHaveValue("1.00");
  await row.getByLabel("Stake factor").fill("0.25");
  await row.getByRole("button", { name: "Set" }).click();
  await expect(row.getByTestId("stake-factor-outcome")).toContainText("Stake factor 0.25");
  await staff.goto(`/admin/audit?action=user.stake-factor`);
  await expect(staff.getByText("user.stake-factor").first()).toBeVisible();
});
