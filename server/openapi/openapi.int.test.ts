import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ApiClient, DEMO_PASSWORD, requiredEnv, type ApiResponse } from "@/test/support/api-client";
import { betBody, fundedBettor, openMatch, staffClient } from "@/test/support/betting";
import { documentAjv, responsePointer } from "@/test/support/openapi";
import { buildOpenApiDocument } from "./document";

const appUrl = requiredEnv("APP_URL");
const document = buildOpenApiDocument();
// Exact: an answer holding a field the document does not name fails, as does one missing a required field.
const { ajv, compile } = documentAjv(document, { exact: true });

/** The answer's status is documented for the operation, and its body matches the schema documented for it. */
function expectDocumented(method: string, path: string, res: ApiResponse) {
  const what = `${method} ${path} ${res.status}`;
  const pointer = responsePointer(method, path, res.status);
  let validate;
  try {
    validate = compile(pointer);
  } catch {
    throw new Error(`${what} is not documented (${JSON.stringify(res.body).slice(0, 300)})`);
  }
  expect(validate(res.body), `${what}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(res.body).slice(0, 1000)}`).toBe(true);
}

describe("GET /api/openapi.json", () => {
  it("serves the document built from the routes' schemas, public and cacheable", async () => {
    const res = await fetch(`${appUrl}/api/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(await res.json()).toEqual(JSON.parse(JSON.stringify(document)));
  });
});

describe("real answers match the documented schemas", () => {
  it("the catalog and a match, anonymous", async () => {
    const match = await openMatch();
    const anonymous = new ApiClient();
    expectDocumented("GET", "/api/catalog", await anonymous.get("/api/catalog"));
    expectDocumented("GET", "/api/matches/{id}", await anonymous.get(`/api/matches/${match.id}`));
    expectDocumented("GET", "/api/matches/{id}", await anonymous.get(`/api/matches/${randomUUID()}`)); // 404
    expectDocumented("GET", "/api/matches/{id}", await anonymous.get("/api/matches/not-an-id")); // 400
    expectDocumented("GET", "/api/wallet", await anonymous.get("/api/wallet")); // 401
    expectDocumented("GET", "/api/health", await anonymous.get("/api/health"));
    expectDocumented("GET", "/api/health/live", await anonymous.get("/api/health/live"));
  });

  it("a bettor's bet, its replay, their bets, wallet and session, and refusals", async () => {
    const match = await openMatch();
    const selection = match.markets[0]!.selections[0]!;
    const { client } = await fundedBettor(10_000);
    const body = betBody(selection.id, 500, selection.odds);
    const placed = await client.post("/api/bets", body);
    expect(placed.status).toBe(201);
    expectDocumented("POST", "/api/bets", placed);
    const replay = await client.post("/api/bets", body);
    expect(replay.status).toBe(200);
    expectDocumented("POST", "/api/bets", replay);
    expectDocumented("GET", "/api/bets", await client.get("/api/bets"));
    expectDocumented("GET", "/api/bets/{id}", await client.get(`/api/bets/${placed.body.bet.id}`));
    expectDocumented("GET", "/api/wallet", await client.get("/api/wallet"));
    expectDocumented("GET", "/api/auth/me", await client.get("/api/auth/me"));

    const invalid = await client.post("/api/bets", { ...body, stake: -1, idempotencyKey: randomUUID() });
    expect(invalid.status).toBe(400);
    expectDocumented("POST", "/api/bets", invalid);
    const changed = await client.post("/api/bets", betBody(selection.id, 500, "9.99"));
    expect(changed.status).toBe(409);
    expectDocumented("POST", "/api/bets", changed);
    const notJson = await client.request("POST", "/api/bets", { body: JSON.stringify(body), headers: { "content-type": "text/plain" } });
    expect(notJson.status).toBe(415);
    expectDocumented("POST", "/api/bets", notJson);
    expectDocumented("GET", "/api/admin/audit", await client.get("/api/admin/audit")); // 403
  });

  it("the wallet's withdrawals, transactions, limits and self-exclusion", async () => {
    const { client, email } = await fundedBettor(10_000);
    const withdrawal = { amount: 1_000, idempotencyKey: randomUUID() };
    expectDocumented("POST", "/api/wallet/withdrawals", await client.post("/api/wallet/withdrawals", withdrawal)); // 201
    expectDocumented("POST", "/api/wallet/withdrawals", await client.post("/api/wallet/withdrawals", withdrawal)); // 200
    expectDocumented("POST", "/api/wallet/withdrawals", await client.post("/api/wallet/withdrawals", { ...withdrawal, amount: 5 })); // 409
    expectDocumented(
      "POST",
      "/api/wallet/withdrawals",
      await client.post("/api/wallet/withdrawals", { amount: 10 ** 7, idempotencyKey: "x" }),
    ); // 422
    expectDocumented("GET", "/api/wallet/transactions", await client.get("/api/wallet/transactions?limit=1"));
    expectDocumented("GET", "/api/wallet/transactions", await client.get("/api/wallet/transactions?cursor=nope")); // 400
    expectDocumented(
      "PUT",
      "/api/wallet/limits",
      await client.request("PUT", "/api/wallet/limits", { json: { daily: 5_000, weekly: 9_000 } }),
    );
    expectDocumented("PUT", "/api/wallet/limits", await client.request("PUT", "/api/wallet/limits", { json: { weekly: null } })); // pending
    expectDocumented("GET", "/api/wallet/limits", await client.get("/api/wallet/limits"));
    expectDocumented("POST", "/api/wallet/deposits", await client.post("/api/wallet/deposits", { amount: 5_001, idempotencyKey: "y" })); // 422
    expectDocumented("POST", "/api/account/exclusion", await client.post("/api/account/exclusion", { days: 3 })); // 400
    expectDocumented("POST", "/api/account/exclusion", await client.post("/api/account/exclusion", { days: 1 }));
    expectDocumented("GET", "/api/wallet/limits", await client.get("/api/wallet/limits")); // 401
    expectDocumented("POST", "/api/auth/login", await new ApiClient().post("/api/auth/login", { email, password: DEMO_PASSWORD })); // 403
  });

  it("back-office answers, including staff actions", async () => {
    const match = await openMatch();
    const staff = await staffClient();
    const selection = match.markets[0]!.selections[0]!;
    expectDocumented(
      "PATCH",
      "/api/admin/selections/{id}",
      await staff.patch(`/api/admin/selections/${selection.id}`, { odds: "2.2", expectedVersion: selection.version }),
    );
    expectDocumented(
      "PATCH",
      "/api/admin/selections/{id}",
      await staff.patch(`/api/admin/selections/${selection.id}`, { odds: "2.3", expectedVersion: selection.version }),
    ); // 409
    expectDocumented("POST", "/api/admin/matches/{id}/suspend", await staff.post(`/api/admin/matches/${match.id}/suspend`));
    expectDocumented("POST", "/api/admin/matches/{id}/resume", await staff.post(`/api/admin/matches/${match.id}/resume`));
    expectDocumented("GET", "/api/admin/matches/{id}/settlement", await staff.get(`/api/admin/matches/${match.id}/settlement`));
    expectDocumented("POST", "/api/admin/matches/{id}/settle", await staff.post(`/api/admin/matches/${match.id}/settle`)); // 409 MATCH_INCOMPLETE
    expectDocumented("GET", "/api/admin/audit", await staff.get("/api/admin/audit?limit=5"));
    expectDocumented("GET", "/api/admin/write-behind", await staff.get("/api/admin/write-behind"));
    expectDocumented("POST", "/api/admin/matches", await staff.post("/api/admin/matches", { sport: "Football" })); // 400
  });
});

describe("the API page", () => {
  it("lists every operation with its method and path, under the pages' CSP", async () => {
    const res = await fetch(`${appUrl}/docs/api`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain("'nonce-");
    const html = await res.text();
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        expect(html, `${method} ${path}`).toContain(`id="${op.operationId}"`);
        expect(html, `${method} ${path}`).toContain(`${method.toUpperCase()}</span> <code>${path}</code>`);
      }
    }
    expect(html).toContain('href="/api/openapi.json"');
  });
});
