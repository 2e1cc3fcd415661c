import { randomBytes, randomUUID } from "node:crypto";
import { test as base, expect, type Browser, type Locator, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "password123";

// Chromium reports what the Content-Security-Policy blocked on the console; any such report fails the test.
const cspViolations: string[] = [];

function watchForCspViolations(page: Page) {
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(`${page.url()}: ${message.text()}`);
  });
}

type Fixtures = {
  /** Fails the test if any of its pages broke the Content-Security-Policy (signedInPage's pages included). */
  noCspViolations: void;
  /** Signs the page's browser context in through the API (fast); the UI sign-in has a test of its own. */
  loginAs: (email: string) => Promise<void>;
  /** A bettor registered for this test only. */
  newBettorEmail: string;
};

export const test = base.extend<Fixtures>({
  noCspViolations: [
    async ({ page }, use) => {
      cspViolations.length = 0;
      watchForCspViolations(page);
      await use();
      expect(cspViolations).toEqual([]);
    },
    { auto: true },
  ],
  loginAs: async ({ page }, use) => {
    await use(async (email) => {
      const res = await page.request.post("/api/auth/login", { data: { email, password: DEMO_PASSWORD } });
      expect(res.status(), await res.text()).toBe(200);
    });
  },
  newBettorEmail: async ({ page }, use) => {
    const email = `e2e-${randomBytes(5).toString("hex")}@example.test`;
    const res = await page.request.post("/api/auth/register", { data: { email, password: DEMO_PASSWORD } });
    expect(res.status(), await res.text()).toBe(201);
    await page.request.post("/api/auth/logout");
    await use(email);
  },
});

export { expect };

export async function signInThroughForm(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** A page in a browser context of its own, signed in through the form and opened at `path`. */
export async function signedInPage(browser: Browser, email: string, path: string): Promise<Page> {
  // Contexts made by hand are recorded too in `npm run demo`, into the test's own folder.
  const context = await browser.newContext(process.env.DEMO ? { recordVideo: { dir: test.info().outputPath("videos") } } : {});
  const page = await context.newPage();
  watchForCspViolations(page);
  await page.goto(`/login?next=${encodeURIComponent(path)}`);
  await signInThroughForm(page, email);
  await page.waitForURL((url) => url.pathname === path);
  return page;
}

/** Decimal odds moved by a number of hundredths ("2.10" + 5 -> "2.15"), without floating point. */
export function raise(odds: string, hundredths: number): string {
  const [units, cents] = odds.split(".").map(Number);
  const value = units! * 100 + cents! + hundredths;
  return `${Math.trunc(value / 100)}.${String(value % 100).padStart(2, "0")}`;
}

/** The two sizes every reworked page is tested at. */
export const viewports = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1366, height: 900 },
} as const;

/** The page is no wider than the window: nothing scrolls sideways. */
export async function expectNoSidewaysScroll(page: Page) {
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, window: window.innerWidth }));
  expect(widths.page, `page ${page.url()} is wider than the window`).toBeLessThanOrEqual(widths.window);
}

/** A locator's box lies wholly inside the window. */
export async function expectWithinViewport(page: Page, locator: Locator) {
  const box = await locator.boundingBox();
  const size = page.viewportSize()!;
  expect(box, "not rendered").not.toBeNull();
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height).toBeLessThanOrEqual(size.height);
  expect(box!.x + box!.width).toBeLessThanOrEqual(size.width);
}

/** A bettor of this test only, with 100.00 deposited through the API and available to bet. */
export async function fundedBettor(page: Page, loginAs: (email: string) => Promise<void>, email: string) {
  await loginAs(email);
  const res = await page.request.post("/api/wallet/deposits", { data: { amount: 10_000, idempotencyKey: randomUUID() } });
  expect(res.status(), await res.text()).toBe(201);
  // Credits reach the Redis wallet bets are checked against through the outbox relay.
  await expect.poll(async () => (await (await page.request.get("/api/wallet")).json()).available).toBe(10_000);
}

/** A datetime-local value (the browser's time zone, which is this machine's) some days from now. */
export function daysAhead(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
}

/**
 * Fills the back office's create-match form (match result 2.00 / 3.40 / 3.60) in a sport of its own, so the match
 * sorts after the seeded ones other specs count on.
 */
export async function fillMatchForm(staff: Page, { competition, home, away }: { competition: string; home: string; away: string }) {
  const fields: [label: string, value: string][] = [
    ["Sport", "Water Polo"],
    ["Competition", competition],
    ["Home team", home],
    ["Away team", away],
    ["Kick-off (your time)", daysAhead(30)],
    ["Home odds", "2.00"],
    ["Draw odds", "3.40"],
    ["Away odds", "3.60"],
  ];
  for (const [label, value] of fields) await staff.getByLabel(label, { exact: true }).fill(value);
}

/** An open match in the catalog other tests leave alone (they edit or suspend the first few). */
export function openMatch(page: Page, index: number): Locator {
  return page.locator('[data-testid="match"][data-status="OPEN"]').nth(index);
}

/** A funded bettor of this test on the catalog, once its odds stream is connected. */
export async function bettorOnLiveCatalog(page: Page, loginAs: (email: string) => Promise<void>, email: string) {
  await fundedBettor(page, loginAs, email);
  await page.goto("/");
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-live", "true");
}

/** Chooses one of a match's prices and types a stake on its new slip line. */
export async function addToSlip(page: Page, match: Locator, priceIndex: number, stake: string) {
  await match.locator(".price").nth(priceIndex).getByRole("button").click();
  const slip = page.getByRole("complementary", { name: "Bet slip" });
  const line = slip.getByTestId("slip-line").last();
  await line.getByLabel("Stake (EUR)").fill(stake);
  return { slip, line };
}

/** The bet slip: beside the prices on a desktop, a sheet opened from a bar on a phone. */
export const slipOf = (page: Page) => page.getByRole("complementary", { name: "Bet slip" });

type ExtraMarket =
  | { type: "TOTAL_GOALS"; line: string; odds: { over: string; under: string } }
  | { type: "BOTH_TEAMS_TO_SCORE"; odds: { yes: string; no: string } }
  | { type: "DOUBLE_CHANCE"; odds: { homeOrDraw: string; homeOrAway: string; drawOrAway: string } };

/**
 * A match created by staff through the API (match result 2.10 / 3.40 / 3.60, and any more markets), in a sport of
 * its own and a month ahead, so it sorts after the seeded matches other specs count on; answers API.md's Match.
 */
export async function createMatchThroughApi(
  staff: Page,
  { competition, home, away, markets }: { competition: string; home: string; away: string; markets?: ExtraMarket[] },
) {
  const res = await staff.request.post("/api/admin/matches", {
    data: {
      sport: "Water Polo",
      competition,
      home,
      away,
      startsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      odds: { home: "2.10", draw: "3.40", away: "3.60" },
      ...(markets ? { markets } : {}),
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return res.json();
}

/**
 * Staff on the back office's match page: close betting, wait for every partition's completion marker, record the
 * final score and pay out. The page must accept the confirmation dialogs (`staff.on("dialog", ...)`).
 */
export async function settleFromScore(staff: Page, matchId: string, [home, away]: [number, number]) {
  // The flusher's completion markers and the payout job: generous, never a timing assertion.
  const slow = { timeout: 60_000 };
  await staff.goto(`/admin/matches/${matchId}`);
  await staff.getByRole("button", { name: "Close betting" }).click();
  await expect(staff.getByTestId("settlement-state")).toHaveText("COMPLETE", slow);
  await staff.getByRole("radio", { name: "Final score" }).check();
  await staff.getByTestId("score-home").fill(String(home));
  await staff.getByTestId("score-away").fill(String(away));
  await staff.getByRole("button", { name: "Record result" }).click();
  await expect(staff.getByTestId("match-result")).toContainText(`${home}-${away}`);
  await staff.getByRole("button", { name: "Settle (pay out)" }).click();
  await expect(staff.getByTestId("settlement-state")).toHaveText("SETTLED", slow);
}
