import { describe, expect, it } from "vitest";
import { credentialsSchema } from "./credentials.shared";

describe("credentialsSchema", () => {
  it("normalises the email", () => {
    expect(credentialsSchema.parse({ email: "  Alice@Example.COM ", password: "password123" }).email).toBe("alice@example.com");
  });

  it("names each bad field", () => {
    const result = credentialsSchema.safeParse({ email: "nope", password: "short" });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join("."))).toEqual(["email", "password"]);
  });

  it("refuses absurdly long passwords before they reach the hasher", () => {
    expect(credentialsSchema.safeParse({ email: "a@b.co", password: "x".repeat(257) }).success).toBe(false);
  });

  it("admits passwords up to 128 characters", () => {
    expect(credentialsSchema.safeParse({ email: "a@b.co", password: "x".repeat(128) }).success).toBe(true);
    const tooLong = credentialsSchema.safeParse({ email: "a@b.co", password: "x".repeat(129) });
    expect(tooLong.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["password", "Password must be at most 128 characters."],
    ]);
  });
});
