import { describe, expect, it } from "vitest";
import { ApiClient, newBettor, signedIn } from "@/test/support/api-client";
import { discoverApiRoutes, discoverPages } from "@/test/support/routes";

// S1: every back-office route and page refuses anonymous users and bettors on the server, route by route.
const adminRoutes = discoverApiRoutes().filter((r) => r.path.startsWith("/api/admin/"));
const adminPages = discoverPages("admin");

describe("back-office access (S1)", () => {
  it("finds the back-office routes and pages to check", () => {
    expect(adminRoutes.length).toBeGreaterThan(0);
    expect(adminPages).toContain("/admin");
  });

  for (const route of adminRoutes) {
    it(`${route.method} ${route.path}: 401 anonymous, 403 bettor, allowed for staff`, async () => {
      const anonymous = await new ApiClient().request(route.method, route.path, { json: route.method === "GET" ? undefined : {} });
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error.code).toBe("UNAUTHENTICATED");

      const { client: bettor } = await newBettor();
      const asBettor = await bettor.request(route.method, route.path, { json: route.method === "GET" ? undefined : {} });
      expect(asBettor.status).toBe(403);
      expect(asBettor.body.error.code).toBe("FORBIDDEN");

      const staff = await signedIn("staff@example.com");
      const asStaff = await staff.request(route.method, route.path, { json: route.method === "GET" ? undefined : {} });
      expect([401, 403]).not.toContain(asStaff.status);
    });
  }

  for (const page of adminPages) {
    it(`page ${page}: anonymous is sent to sign in, a bettor gets 403, staff see it`, async () => {
      const anonymous = await new ApiClient().get(page);
      expect(anonymous.status).toBeGreaterThanOrEqual(300);
      expect(anonymous.status).toBeLessThan(400);
      expect(anonymous.headers.get("location")).toContain(`/login?next=${encodeURIComponent(page)}`);

      const { client: bettor } = await newBettor();
      const asBettor = await bettor.get(page);
      expect(asBettor.status).toBe(403);
      expect(String(asBettor.body)).toContain("Access denied");

      // A page for a placeholder id is a 404 for staff: past the role check, just nothing there.
      const staff = await signedIn("staff@example.com");
      expect([200, 404]).toContain((await staff.get(page)).status);
    });
  }
});
