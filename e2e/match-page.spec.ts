import { randomBytes, randomUUID } from "node:crypto";
import { createMatchThroughApi, expect, expectNoSidewaysScroll, fundedBettor, signedInPage, slipOf, test, viewports } from "./fixtures";

for (const [size, viewport] of Object.entries(viewports)) {
  test.describe(`at ${size} size`, () => {
    test.use({ viewport });

    test(`${size}: a match's page shows all its markets at live prices, adds to the same slip, and shows suspended and void markets`, async ({
      page,
      browser,
      loginAs,
      newBettorEmail,
    }, testInfo) => {
      const tag = randomBytes(3).toString("hex");
      const [home, away] = [`Tarn ${tag}`, `Scree ${tag}`];
      const staff = await signedInPage(browser, "staff@example.com", "/admin");
      const other = await createMatchThroughApi(staff, { competition: "Match Page Cup", home: `Brook ${tag}`, away: `Ford ${tag}` });
      const match = await createMatchThroughApi(staff, {
        competition: "Match Page Cup",
        home,
        away,
        markets: [
          { type: "TOTAL_GOALS", line: "2.5", odds: { over: "1.90", under: "1.95" } },
          { type: "BOTH_TEAMS_TO_SCORE", odds: { yes: "1.80", no: "2.00" } },
          { type: "DOUBLE_CHANCE", odds: { homeOrDraw: "1.30", homeOrAway: "1.25", drawOrAway: "1.75" } },
        ],
      });
      const marketOf = (type: string) => match.markets.find((m: { type: string }) => m.type === type);

      // A selection from the catalog first, then the match's page from its name.
      await fundedBettor(page, loginAs, newBettorEmail);
      await page.goto("/");
      await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-live", "true");
      await page.getByLabel("Search teams or competitions").fill(tag);
      await page.locator(`[data-testid="match"][data-match-id="${other.id}"]`).locator(".price").first().getByRole("button").click();
      const slip = slipOf(page);
      if (size === "phone") await slip.getByRole("button", { name: "Close" }).click();
      await page.getByRole("link", { name: `${home} v ${away}` }).click();
      await page.waitForURL(`/matches/${match.id}`);

      await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${home} v ${away}`);
      await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-live", "true");
      const markets = page.getByTestId("market");
      await expect(markets.getByRole("heading", { level: 2 })).toHaveText([
        "Match result Open",
        "Total goals 2.5 Open",
        "Both teams to score Open",
        "Double chance Open",
      ]);
      await expect(page.getByRole("list", { name: `Double chance: ${home} v ${away}` }).getByRole("button")).toHaveCount(3);
      // The same slip: the catalog's selection is still in it.
      if (size === "phone") await expect(page.getByTestId("slip-bar")).toContainText("Bet slip (1)");
      else await expect(slip.getByTestId("slip-line")).toHaveText([new RegExp(`Brook ${tag}`)]);

      const btts = page.getByRole("list", { name: `Both teams to score: ${home} v ${away}` });
      await btts.getByRole("button", { name: /^Yes/ }).click();
      await expect(slip.getByTestId("slip-line")).toHaveCount(2);
      await expect(btts.getByRole("button", { name: /^Yes/ })).toHaveAttribute("aria-pressed", "true");
      await expectNoSidewaysScroll(page);
      if (size === "phone") await slip.getByRole("button", { name: "Close" }).click();
      const demo = testInfo.outputPath(`match-page-${size}.png`);
      await page.screenshot({ path: demo, fullPage: true });
      await testInfo.attach(`match-page-${size}`, { path: demo, contentType: "image/png" });

      // A price staff move is shown at once, with its direction.
      const over = marketOf("TOTAL_GOALS").selections[0];
      const edited = await staff.request.patch(`/api/admin/selections/${over.id}`, {
        data: { odds: "2.05", expectedVersion: over.version },
      });
      expect(edited.status(), await edited.text()).toBe(200);
      const overPrice = page.locator(`.price[data-selection-id="${over.id}"]`);
      await expect(overPrice.getByTestId("odds")).toContainText("2.05");
      await expect(overPrice).toHaveAttribute("data-move", "up");

      // A voided market says so and locks its prices and its slip line; a suspended match locks the rest.
      const voided = await staff.request.post(`/api/admin/markets/${marketOf("BOTH_TEAMS_TO_SCORE").id}/void`);
      expect(voided.status(), await voided.text()).toBe(200);
      const bttsSection = markets.filter({ has: page.getByRole("heading", { name: /Both teams to score/ }) });
      await expect(bttsSection).toHaveAttribute("data-state", "void");
      await expect(bttsSection.getByTestId("market-state")).toHaveText("Void: stakes are returned");
      const suspended = await staff.request.post(`/api/admin/matches/${match.id}/suspend`);
      expect(suspended.status(), await suspended.text()).toBe(200);
      await expect(page.getByTestId("match-notice")).toContainText("Betting on this match is suspended for the moment.");
      await expect(markets.first().getByTestId("market-state")).toHaveText("Suspended");
      await expect(page.locator(`.price[data-selection-id="${over.id}"]`)).toHaveAttribute("data-locked", "true");
      if (size === "phone") await page.getByTestId("slip-bar").click();
      await expect(slip.getByTestId("slip-line").filter({ hasText: "Yes" }).getByTestId("slip-blocked")).toHaveText(
        "Cannot be placed: this market is void.",
      );
      const locked = testInfo.outputPath(`match-page-suspended-void-${size}.png`);
      await page.screenshot({ path: locked, fullPage: true });
      await testInfo.attach(`match-page-suspended-void-${size}`, { path: locked, contentType: "image/png" });
    });
  });
}

test("a match page that does not exist is the not-found page", async ({ page }) => {
  for (const path of [`/matches/${randomUUID()}`, "/matches/not-a-match"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  }
});

test("a visitor on a match's page is asked to sign in and brought back to it", async ({ page, browser }) => {
  const staff = await signedInPage(browser, "staff@example.com", "/admin");
  const tag = randomBytes(3).toString("hex");
  const match = await createMatchThroughApi(staff, { competition: "Match Page Cup", home: `Crag ${tag}`, away: `Loch ${tag}` });
  await page.goto(`/matches/${match.id}`);
  await page.locator(".price").first().getByRole("button").click();
  const prompt = slipOf(page).getByRole("alert");
  await expect(prompt).toContainText(`To bet on Crag ${tag} (Crag ${tag} v Loch ${tag})`);
  await expect(prompt.getByRole("link", { name: "sign in" })).toHaveAttribute(
    "href",
    `/login?next=${encodeURIComponent(`/matches/${match.id}`)}`,
  );
});
