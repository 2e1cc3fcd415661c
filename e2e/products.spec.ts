import { randomBytes } from "node:crypto";
import { formatPrice } from "@/server/odds-formats.shared";
import { expect, fillMatchForm, fundedBettor, signedInPage, test } from "./fixtures";

// Settlement waits on the flusher (completion markers) and the payout job; generous, never a timing assertion.
const SLOW = { timeout: 60_000 };

test("a match with more markets: staff create totals and both-teams-to-score, a bettor backs Over 2.5, the score settles it", async ({
  page,
  browser,
  loginAs,
  newBettorEmail,
}, testInfo) => {
  const tag = randomBytes(3).toString("hex");
  const [home, away] = [`Estuary ${tag}`, `Meadow ${tag}`];
  const staff = await signedInPage(browser, "staff@example.com", "/admin/matches");
  staff.on("dialog", (dialog) => void dialog.accept());
  await fillMatchForm(staff, { competition: "Markets Cup", home, away });
  await staff.getByText("More markets (optional)").click();
  await staff.getByLabel("Over odds").fill("1.9");
  await staff.getByLabel("Under odds").fill("1.95");
  await staff.getByLabel("Yes odds").fill("1.80");
  await staff.getByLabel("No odds").fill("2.00");
  await staff.getByRole("button", { name: "Create match" }).click();
  await expect(staff.getByTestId("create-outcome")).toHaveText(`Created ${home} v ${away}, open for betting.`);
  await staff.getByRole("link", { name: "Edit its odds" }).click();
  await staff.waitForURL(/\/admin\/matches\/[0-9a-f-]+$/);
  await expect(staff.getByRole("region", { name: "Total goals 2.5" }).getByRole("textbox").first()).toHaveValue("1.90");

  // The bettor finds the match, opens its other markets and backs Over 2.5 with 10.00.
  await fundedBettor(page, loginAs, newBettorEmail);
  await page.goto("/");
  const match = page.getByTestId("match").filter({ hasText: home });
  await match.getByTestId("more-markets").getByText("More markets (2)").click();
  const totals = match.getByRole("list", { name: `Total goals 2.5: ${home} v ${away}` });
  await totals.getByRole("button", { name: /Over 2\.5/ }).click();
  const slip = page.getByRole("complementary", { name: "Bet slip" });
  await slip.getByTestId("slip-line").getByLabel("Stake").fill("10");
  await expect(slip.getByTestId("potential-return")).toHaveText("€19.00");
  await slip.getByRole("button", { name: "Place bet" }).click();
  await expect(slip.getByTestId("receipt").getByTestId("receipt-status")).toHaveText("Open");
  await page.screenshot({ path: testInfo.outputPath("1-bettor-over-2.5.png"), fullPage: true });

  // Staff close, record the final score 2-1 (three goals: Over 2.5 wins) and pay out.
  await staff.getByRole("button", { name: "Close betting" }).click();
  await expect(staff.getByTestId("settlement-state")).toHaveText("COMPLETE", SLOW);
  await staff.getByRole("radio", { name: "Final score" }).check();
  await staff.getByTestId("score-home").fill("2");
  await staff.getByTestId("score-away").fill("1");
  await staff.getByRole("button", { name: "Record result" }).click();
  await expect(staff.getByTestId("match-result")).toHaveText(`Final score: ${home} 2-1 ${away}.`);
  await staff.getByRole("button", { name: "Settle (pay out)" }).click();
  await expect(staff.getByTestId("settlement-state")).toHaveText("SETTLED", SLOW);
  await staff.screenshot({ path: testInfo.outputPath("2-staff-settled-from-score.png"), fullPage: true });

  await page.goto("/bets");
  const row = page.getByTestId("bet-row").filter({ hasText: `${home} v ${away}` });
  await expect(row.getByTestId("bet-status")).toHaveText("Won");
  await expect(row.getByTestId("bet-payout")).toContainText("€19.00");
});

test("a bettor reads prices as fractions or American odds, everywhere, and the choice stays after a reload", async ({ page }) => {
  await page.goto("/");
  const firstPrice = page.getByTestId("match").first().locator(".price").first().getByTestId("odds");
  const decimal = (await firstPrice.textContent())!.match(/\d+\.\d{2}/)![0];
  const picker = page.getByLabel("Odds format");
  await picker.selectOption("fractional");
  await expect(firstPrice).toHaveText(new RegExp(`^${formatPrice(decimal, "fractional")}`));
  await page.reload();
  await expect(firstPrice).toHaveText(new RegExp(`^${formatPrice(decimal, "fractional")}`));
  await page.getByLabel("Odds format").selectOption("american");
  await expect(firstPrice).toHaveText(new RegExp(`^\\${formatPrice(decimal, "american")}`));
  await page.getByLabel("Odds format").selectOption("decimal");
  await expect(firstPrice).toHaveText(new RegExp(`^${decimal.replace(".", "\\.")}`));
});

test("a bettor cashes out from My bets at the live offer", async ({ page, browser, loginAs, newBettorEmail }, testInfo) => {
  // A match of its own: no other test moves its prices.
  const staff = await signedInPage(browser, "staff@example.com", "/admin");
  const created = await staff.request.post("/api/admin/matches", {
    data: {
      sport: "Water Polo",
      competition: "Cash Out Cup",
      home: `Reef ${randomBytes(3).toString("hex")}`,
      away: `Shoal ${randomBytes(3).toString("hex")}`,
      startsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      odds: { home: "2.10", draw: "3.40", away: "3.60" },
    },
  });
  expect(created.status()).toBe(201);
  const selection = (await created.json()).markets[0].selections[0];
  await fundedBettor(page, loginAs, newBettorEmail);
  const placed = await page.request.post("/api/bets", {
    data: { selectionId: selection.id, stake: 1_000, odds: selection.odds, idempotencyKey: `e2e-${randomBytes(6).toString("hex")}` },
  });
  expect(placed.status()).toBe(201);
  await page.goto("/bets");
  const row = page.getByTestId("bet-row").first();
  // The same price as taken: the stake less the 5% margin.
  await row.getByRole("button", { name: "Cash out €9.50" }).click();
  await expect(row.getByTestId("bet-status")).toHaveText("Cashed out");
  await expect(row.getByTestId("bet-payout")).toContainText("€9.50");
  await page.screenshot({ path: testInfo.outputPath("cashed-out.png"), fullPage: true });
});
