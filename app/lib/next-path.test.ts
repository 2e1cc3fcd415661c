import { describe, expect, it } from "vitest";
import { safeNextPath } from "./next-path";

describe("safeNextPath", () => {
  it("keeps local paths and drops anything that could leave the site", () => {
    expect(safeNextPath("/admin")).toBe("/admin");
    expect(safeNextPath(["/admin/audit"])).toBe("/admin/audit");
    for (const bad of ["https://evil.example", "//evil.example", "/\\evil.example", "admin", undefined])
      expect(safeNextPath(bad)).toBe("/");
  });
});
