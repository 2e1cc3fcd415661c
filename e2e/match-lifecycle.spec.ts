import { randomBytes } from "node:crypto";
import type { Page, TestInfo } from "@playwright/test";
import { daysAhead, expect, fillMatchForm, raise, signedInPage, test } from "./fixtures";

/** A full-page screenshot kept with the test's results and attached to the report, one per step of the demo. */
async function snapshot(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

// Settlement waits on the flusher (completion markers) and the payout job; generous, never a timing assertion.
const SLOW = { timeout: 60_000 };

test("a match from odds to payout: staff create, price, close, record and settle; the bettor is paid", async ({
  page,
  browser,
  loginAs,
  newBettorEmail,
}, testInfo) => {
  const tag = randomBytes(3).toString("hex");
  const [home, away] = [`Harbour ${tag}`, `Lagoon ${tag}`];

  // Staff create the match in a sport of its own, so it sorts after the seeded matches other specs count on.
  const staff = await signedInPage(browser, "staff@example.com", "/admin/matches");
  staff.on("dialog", (dialog) => void dialog.accept()); // "Close betting" and "Settle" ask for confirmation
  await fillMatchForm(staff, { competition: "Lifecycle Cup", home, away });
  await staff.getByRole("button", { name: "Create match" }).click();
  await expect(staff.getByTestId("create-outcome")).toHaveText(`Created ${home} v ${away}, open for betting.`);
  await staff.getByRole("link", { name: "Edit its odds" }).click();
  await staff.waitForURL(/\/admin\/matches\/[0-9a-f-]+$/);
  await expect(staff.getByTestId("match-status")).toHaveText("OPEN");

  // The kick-off moves (the close at kick-off follows it); a second staff page still showing the old version is refused.
  const colleague = await signedInPage(browser, "staff@example.com", new URL(staff.url()).pathname);
  await staff.getByLabel("New kick-off (your time)").fill(daysAhead(31));
  await staff.getByRole("button", { name: "Move kick-off" }).click();
  await expect(staff.getByTestId("reschedule-outcome")).toContainText("Kick-off moved to");
  await colleague.getByLabel("New kick-off (your time)").fill(daysAhead(32));
  await colleague.getByRole("button", { name: "Move kick-off" }).click();
  const refusal = colleague.getByTestId("reschedule-outcome");
  await expect(refusal).toHaveText(
    /^Not moved: someone else changed this match \(now version \d+, kick-off .+\)\. Review it and try again\.$/,
  );
  // The refused page reloads the match, so what it shows is what the refusal named.
  const [, kickOff] = /kick-off (.+)\)\./.exec((await refusal.textContent())!)!;
  await expect(colleague.getByText(`Now ${kickOff}.`)).toBeVisible();
  await snapshot(colleague, testInfo, "1-staff-stale-kick-off-refused");
  await colleague.context().close();
  const higher = raise("2.00", 10);
  const homeRow = staff.getByTestId("odds-row").first();
  await homeRow.getByRole("textbox").fill(higher);
  await homeRow.getByRole("button", { name: "Save" }).click();
  await expect(homeRow.getByRole("status")).toHaveText(`Saved: 2.00 → ${higher}.`);
  await snapshot(staff, testInfo, "2-staff-match-created-and-priced");

  // The bettor deposits 50.00 and backs the home side with 20.00 at the new price.
  await loginAs(newBettorEmail);
  await page.goto("/wallet");
  await page.getByLabel("Amount (EUR)").fill("50");
  await page.getByRole("button", { name: "Deposit" }).click();
  await expect(page.getByTestId("deposit-outcome")).toContainText("Deposited €50.00.");
  await expect(page.getByTestId("balance")).toHaveText("€50.00");
  await page.getByRole("link", { name: "Matches" }).click();
  const match = page.getByTestId("match").filter({ hasText: home });
  const homePrice = match.locator(".price").first();
  await expect(homePrice.getByTestId("odds")).toContainText(higher);
  await homePrice.getByRole("button").click();
  const slip = page.getByRole("complementary", { name: "Bet slip" });
  await slip.getByTestId("slip-line").getByLabel("Stake").fill("20");
  await expect(slip.getByTestId("potential-return")).toHaveText("€42.00");
  await slip.getByRole("button", { name: "Place bet" }).click();
  await expect(slip.getByTestId("receipt").getByTestId("receipt-status")).toHaveText("Open");
  await expect(page.getByTestId("balance")).toHaveText("€30.00");
  await snapshot(page, testInfo, "3-bettor-bet-placed");

  // Staff close betting and wait until every partition's completion marker is in PostgreSQL.
  await staff.getByRole("button", { name: "Close betting" }).click();
  await expect(staff.getByTestId("status-outcome")).toContainText("Betting closed in every partition.");
  await expect(staff.getByTestId("match-status")).toHaveText("CLOSED");
  await expect(staff.getByLabel("New kick-off (your time)")).toHaveCount(0);
  // A closed match's prices are history: shown, no longer editable.
  await expect(staff.getByTestId("odds-row").first()).toContainText(higher);
  await expect(staff.getByTestId("odds-row").getByRole("textbox")).toHaveCount(0);
  await expect(staff.getByTestId("settlement-state")).toHaveText("COMPLETE", SLOW);
  await expect(staff.getByTestId("marker-progress")).toHaveText(/^(\d+) of \1 partitions$/);
  await snapshot(staff, testInfo, "4-staff-closed-complete");

  // The payout cannot start until a result is recorded, and says so; then it runs as a job.
  await expect(staff.getByRole("button", { name: "Settle (pay out)" })).toBeDisabled();
  await expect(staff.getByTestId("settle-blocked")).toHaveText("Record the result (the score, or void) first.");
  await staff.getByRole("radio", { name: home }).check();
  await staff.getByRole("button", { name: "Record result" }).click();
  await expect(staff.getByTestId("result-outcome")).toHaveText(`Result recorded: ${home}.`);
  await expect(staff.getByTestId("match-result")).toHaveText(`Winner: ${home}.`);
  await snapshot(staff, testInfo, "5-staff-result-recorded");
  await staff.getByRole("button", { name: "Settle (pay out)" }).click();
  // The 202's "Payout queued" note may vanish with the button as soon as the job has paid: follow the job instead.
  await expect(staff.getByTestId("settlement-job")).toContainText(/Payout job settle-[0-9a-f-]+/, SLOW);
  await expect(staff.getByTestId("settlement-job-state")).toHaveText("completed", SLOW);
  await expect(staff.getByTestId("settlement-state")).toHaveText("SETTLED", SLOW);
  await expect(staff.getByTestId("settlement-job-outcome")).toHaveText(
    "1 bet settled: 1 won, 0 lost, 0 void; stakes €20.00, payouts €42.00.",
  );
  await expect(staff.getByTestId("settlement-payouts")).toHaveText("€42.00");
  // A settled match's result is final: no more result or payout controls.
  await expect(staff.getByRole("radio")).toHaveCount(0);
  await expect(staff.getByRole("button", { name: "Settle (pay out)" })).toHaveCount(0);
  await snapshot(staff, testInfo, "6-staff-settled");

  // The bettor's bet is WON with floor(20.00 x 2.10) = 42.00; the credit reaches the wallet through the outbox.
  await page.getByRole("link", { name: "My bets" }).click();
  const row = page.getByTestId("bet-row").filter({ hasText: `${home} v ${away}` });
  await expect(row.getByTestId("bet-status")).toHaveText("Won");
  await expect(row.getByTestId("bet-payout")).toContainText("€42.00");
  await expect(row.getByTestId("bet-payout")).toContainText("settled");
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("balance")).toHaveText("€72.00", { timeout: 1_000 });
  }).toPass(SLOW);
  await snapshot(page, testInfo, "7-bettor-won-and-paid");
});
