import { expect, raise, signedInPage, test } from "./fixtures";

test("a bettor watching the catalog sees staff's odds change without reloading", async ({ browser }) => {
  const bettor = await signedInPage(browser, "bob@example.com", "/");
  await expect(bettor.getByTestId("live-indicator")).toHaveAttribute("data-live", "true");
  const row = bettor.getByTestId("match").nth(2);
  const matchId = (await row.getAttribute("data-match-id"))!;
  const homePrice = row.locator(".price").first();
  const before = (await homePrice.getByTestId("odds").innerText()).replace(/[^\d.]/g, "");
  const marker = await bettor.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

  const staff = await signedInPage(browser, "staff@example.com", "/admin");
  await staff.goto(`/admin/matches/${matchId}`);
  const editor = staff.getByTestId("odds-row").first();
  const higher = raise(before, 15);
  await editor.getByRole("textbox").fill(higher);
  await editor.getByRole("button", { name: "Save" }).click();
  await expect(editor.getByRole("status")).toHaveText(`Saved: ${before} → ${higher}.`);

  await expect(homePrice.getByTestId("odds")).toContainText(higher);
  await expect(homePrice).toHaveAttribute("data-move", "up");
  expect(await bettor.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(marker); // same page: no reload
  await bettor.screenshot({ path: "test-results/e2e/live-odds-bettor.png" });

  const lower = raise(before, -5);
  await editor.getByRole("textbox").fill(lower);
  await editor.getByRole("button", { name: "Save" }).click();
  await expect(homePrice.getByTestId("odds")).toContainText(lower);
  await expect(homePrice).toHaveAttribute("data-move", "down");
  // The arrow fades away after a few seconds.
  await expect(homePrice).not.toHaveAttribute("data-move", /./, { timeout: 15_000 });
  await staff.screenshot({ path: "test-results/e2e/live-odds-staff.png", fullPage: true });
});

test("a stale edit is refused and shows the price someone else set", async ({ browser }) => {
  const first = await signedInPage(browser, "staff@example.com", "/admin/matches");
  const matchLink = first.locator('[data-testid="admin-match"][data-status="OPEN"]').nth(3).getByRole("link");
  await matchLink.click();
  await first.waitForURL(/\/admin\/matches\/[0-9a-f-]+$/);
  const url = first.url();
  const second = await signedInPage(browser, "staff@example.com", "/admin");
  await second.goto(url);

  const rowA = first.getByTestId("odds-row").nth(1);
  const rowB = second.getByTestId("odds-row").nth(1);
  const current = await rowA.getByRole("textbox").inputValue();
  await rowA.getByRole("textbox").fill(raise(current, 20));
  await rowA.getByRole("button", { name: "Save" }).click();
  await expect(rowA.getByRole("status")).toContainText("Saved");

  await rowB.getByRole("textbox").fill(raise(current, 30));
  await rowB.getByRole("button", { name: "Save" }).click();
  await expect(rowB.getByRole("alert")).toHaveText(
    `Not saved: someone else changed this price to ${raise(current, 20)}. Review it and save again.`,
  );
});

test("staff suspend and resume a match and flip the kill switch, each with an explicit outcome", async ({ browser }) => {
  const staff = await signedInPage(browser, "staff@example.com", "/admin/matches");
  await staff.locator('[data-testid="admin-match"][data-status="OPEN"]').nth(4).getByRole("link").click();
  await staff.getByRole("button", { name: "Suspend betting" }).click();
  await expect(staff.getByTestId("status-outcome")).toHaveText("Match suspended: no bets are accepted.");
  await expect(staff.getByTestId("match-status")).toHaveText("SUSPENDED");
  await staff.getByRole("button", { name: "Resume betting" }).click();
  await expect(staff.getByTestId("status-outcome")).toHaveText("Match open for betting.");
  await expect(staff.getByTestId("match-status")).toHaveText("OPEN");

  await staff.goto("/admin");
  await expect(staff.getByTestId("header-betting-state")).toHaveText("Betting: open");
  await staff.getByRole("button", { name: "Suspend all betting…" }).click();
  await staff.getByLabel("Reason (kept in the audit log)").fill("Stadium power cut");
  await staff.getByRole("button", { name: "Suspend all betting now" }).click();
  await expect(staff.getByTestId("kill-switch-outcome")).toHaveText("All betting is suspended.");
  await expect(staff.getByTestId("header-betting-state")).toHaveText("Betting: suspended everywhere");
  await staff.getByRole("button", { name: "Resume all betting…" }).click();
  await staff.getByRole("button", { name: "Cancel" }).click();
  await expect(staff.getByTestId("header-betting-state")).toHaveText("Betting: suspended everywhere");
  await staff.getByRole("button", { name: "Resume all betting…" }).click();
  await staff.getByLabel("Reason (kept in the audit log)").fill("Power back");
  await staff.getByRole("button", { name: "Resume all betting now" }).click();
  await expect(staff.getByTestId("kill-switch-outcome")).toHaveText("Betting is open again.");
  await expect(staff.getByTestId("header-betting-state")).toHaveText("Betting: open");

  await staff.goto("/admin/audit");
  await expect(staff.getByRole("cell", { name: "betting.resume" }).first()).toBeVisible();
  // The reason is in the audit entry, shown as part of the change.
  await expect(staff.getByTestId("audit-entry").filter({ hasText: "betting.suspend" }).first()).toContainText("reason: Stadium power cut");
  await expect(staff.getByRole("cell", { name: "match.suspend" }).first()).toBeVisible();
});
