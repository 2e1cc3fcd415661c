import { describe, expect, it } from "vitest";
import { isCrossSiteRequest } from "./csrf";

const headers = (h: Record<string, string>) => new Headers(h);

describe("isCrossSiteRequest (S3)", () => {
  it("never blocks safe methods", () => {
    expect(isCrossSiteRequest("GET", headers({ origin: "https://evil.example", host: "app.example" }))).toBe(false);
  });

  it("allows a same-origin POST and refuses a foreign one", () => {
    expect(isCrossSiteRequest("POST", headers({ origin: "http://localhost:3000", host: "localhost:3000" }))).toBe(false);
    expect(isCrossSiteRequest("POST", headers({ origin: "http://evil.example", host: "localhost:3000" }))).toBe(true);
    expect(isCrossSiteRequest("DELETE", headers({ origin: "http://localhost:3001", host: "localhost:3000" }))).toBe(true);
    expect(isCrossSiteRequest("PATCH", headers({ origin: "null", host: "localhost:3000" }))).toBe(true);
  });

  it("allows explicitly configured origins", () => {
    const h = headers({ origin: "https://admin.example", host: "api.example" });
    expect(isCrossSiteRequest("POST", h, ["https://admin.example"])).toBe(false);
  });

  it("uses Sec-Fetch-Site when there is no Origin, and lets non-browser clients through", () => {
    expect(isCrossSiteRequest("POST", headers({ "sec-fetch-site": "cross-site", host: "a" }))).toBe(true);
    expect(isCrossSiteRequest("POST", headers({ "sec-fetch-site": "same-origin", host: "a" }))).toBe(false);
    expect(isCrossSiteRequest("POST", headers({ host: "a" }))).toBe(false);
  });
});
