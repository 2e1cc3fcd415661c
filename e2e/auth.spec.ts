import { expect, signInThroughForm, test } from "./fixtures";

test("alice signs in and sees the catalog and her balance", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: "Sign in" }).click();
  await signInThroughForm(page, "alice@example.com");

  await expect(page.getByTestId("signed-in-as")).toHaveText("alice@example.com");
  await expect(page.getByTestId("balance")).toHaveText("€1,000.00");
  await expect(page.getByRole("heading", { name: "Matches" })).toBeVisible();
  await expect(page.getByTestId("match")).not.toHaveCount(0);
  expect(await page.getByTestId("match").count()).toBeGreaterThanOrEqual(20);
  const firstMatch = page.getByTestId("match").first();
  // The match result's three prices; the other markets wait under "More markets".
  const matchResult = firstMatch.locator(".prices").first().locator(".price-odds");
  await expect(matchResult).toHaveCount(3);
  await expect(matchResult.first()).toHaveText(/^\d+\.\d{2}$/);
  await page.screenshot({ path: "test-results/e2e/alice-catalog.png", fullPage: true });
});

test("a wrong password shows an error and keeps the visitor signed out", async ({ page }) => {
  await page.goto("/login");
  await signInThroughForm(page, "alice@example.com", "not-the-password");
  await expect(page.getByRole("alert").filter({ hasText: "incorrect" })).toHaveText("The email or password is incorrect.");
  await expect(page.getByTestId("signed-in-as")).toHaveCount(0);
});

test("the form names each field that is wrong before sending anything", async ({ page }) => {
  await page.goto("/register");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Register" }).click();
  await expect(page.getByText("Enter a valid email address.")).toBeVisible();
  await expect(page.getByText("Password must be at least 8 characters.")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
});

test("a new bettor registers, is signed in with an empty wallet, and signs out", async ({ page }) => {
  const email = `e2e-new-${Date.now()}@example.test`;
  await page.goto("/register");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a-good-password");
  await page.getByRole("button", { name: "Register" }).click();
  await expect(page.getByTestId("signed-in-as")).toHaveText(email);
  await expect(page.getByTestId("balance")).toHaveText("€0.00");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  expect((await page.request.get("/api/auth/me")).status()).toBe(401);
});

test("staff reach the back office", async ({ page }) => {
  await page.goto("/login?next=/admin");
  await signInThroughForm(page, "staff@example.com");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByTestId("signed-in-as")).toContainText("staff@example.com");
  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  await page.getByRole("link", { name: "Overview" }).click();
  await expect(page.getByText("open matches", { exact: true })).toBeVisible();
  await page.screenshot({ path: "test-results/e2e/staff-back-office.png", fullPage: true });
});

test("a bettor sent to the back office is refused", async ({ page, loginAs, newBettorEmail }) => {
  await loginAs(newBettorEmail);
  const response = await page.goto("/admin");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "Access denied" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Back office" })).toHaveCount(0);
  await page.screenshot({ path: "test-results/e2e/bettor-refused.png" });
});

test("an anonymous visitor sent to the back office is asked to sign in first", async ({ page }) => {
  await page.goto("/admin/audit");
  await expect(page).toHaveURL(/\/login\?next=%2Fadmin%2Faudit$/);
  await signInThroughForm(page, "staff@example.com");
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
});
