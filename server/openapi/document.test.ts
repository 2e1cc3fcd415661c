import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { errorStatus, type ErrorCode } from "@/server/errors";
import { documentAjv, schemaPointers } from "@/test/support/openapi";
import { discoverApiRoutes } from "@/test/support/routes";
import { buildOpenApiDocument, type OpenApiOperation } from "./document";

const document = buildOpenApiDocument();
const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, operation })),
);
const operation = (key: string): OpenApiOperation => {
  const found = documented.find((d) => d.key === key);
  if (!found) throw new Error(`${key} is not in the OpenAPI document`);
  return found.operation;
};
const codesOf = (op: OpenApiOperation) =>
  Object.values(op.responses).flatMap(
    (r) => ((r.content?.["application/json"]?.schema as any)?.properties?.error?.properties?.code?.enum as string[] | undefined) ?? [],
  );

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1", async () => {
    const result = await new Validator().validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toMatch(/^3\.1\./);
  });

  // The OpenAPI meta-schema leaves Schema Objects to their dialect: each one is checked against JSON Schema 2020-12
  // and compiled by Ajv in strict mode (no unknown keyword, every reference resolved).
  it("holds only valid JSON Schema 2020-12", () => {
    const { ajv, compile, schemaAt } = documentAjv(document);
    const pointers = schemaPointers(document);
    expect(pointers.length).toBeGreaterThan(100);
    for (const pointer of pointers) {
      expect(ajv.validateSchema(schemaAt(pointer)), `${pointer}: ${ajv.errorsText(ajv.errors)}`).toBe(true);
      expect(() => compile(pointer), pointer).not.toThrow();
    }
  });

  it("documents every route file's every method, and nothing that is not a route", () => {
    const routes = discoverApiRoutes().map((r) => `${r.method} ${r.template}`);
    expect(routes.length).toBeGreaterThan(0);
    expect(documented.map((d) => d.key).sort()).toEqual([...routes].sort());
  });

  it("gives every operation a unique id, a summary, its auth and at least one answer", () => {
    expect(new Set(documented.map((d) => d.operation.operationId)).size).toBe(documented.length);
    for (const { key, operation: op } of documented) {
      expect(op.summary, key).not.toBe("");
      expect(["anonymous", "signed-in", "bettor", "staff", "metrics"], key).toContain(op["x-auth"]);
      expect(
        Object.keys(op.responses).some((status) => Number(status) < 300),
        key,
      ).toBe(true);
    }
  });

  it("files each error code under the status server/errors.ts gives it", () => {
    for (const { key, operation: op } of documented) {
      for (const [status, response] of Object.entries(op.responses)) {
        const codes = ((response.content?.["application/json"]?.schema as any)?.properties?.error?.properties?.code?.enum ??
          []) as ErrorCode[];
        for (const code of codes) expect(`${key} ${code} ${errorStatus[code]}`).toBe(`${key} ${code} ${status}`);
      }
    }
  });

  // API.md's tables, the first release's and the additions implemented so far: method, path, success statuses, and
  // error codes it names. The document may say more, never less.
  const apiMd: [string, number[], ErrorCode[]][] = [
    ["POST /api/auth/register", [201], ["EMAIL_TAKEN", "VALIDATION_FAILED"]],
    ["POST /api/auth/login", [200], ["BAD_CREDENTIALS", "RATE_LIMITED"]],
    ["POST /api/auth/logout", [204], []],
    ["GET /api/auth/me", [200], ["UNAUTHENTICATED"]],
    ["GET /api/catalog", [200], []],
    ["GET /api/matches/{id}", [200], ["NOT_FOUND"]],
    ["GET /api/odds/stream", [200], []],
    ["GET /api/wallet", [200], ["UNAUTHENTICATED", "FORBIDDEN"]],
    ["POST /api/wallet/deposits", [201, 200], ["VALIDATION_FAILED"]],
    [
      "POST /api/bets",
      [201, 200],
      [
        "IDEMPOTENCY_KEY_REUSED",
        "ODDS_CHANGED",
        "MARKET_SUSPENDED",
        "MATCH_CLOSED",
        "BETTING_SUSPENDED",
        "NOT_FOUND",
        "INSUFFICIENT_FUNDS",
        "STAKE_TOO_LOW",
        "STAKE_TOO_HIGH",
        "LIABILITY_LIMIT",
        "RATE_LIMITED",
      ],
    ],
    ["GET /api/bets", [200], ["VALIDATION_FAILED"]],
    ["GET /api/bets/{id}", [200], ["NOT_FOUND"]],
    ["POST /api/admin/matches", [201], ["VALIDATION_FAILED", "UNAUTHENTICATED", "FORBIDDEN"]],
    ["PATCH /api/admin/selections/{id}", [200, 202], ["VERSION_CONFLICT"]],
    ["POST /api/admin/matches/{id}/suspend", [200, 202], ["INVALID_STATE"]],
    ["POST /api/admin/matches/{id}/resume", [200, 202], ["INVALID_STATE"]],
    ["POST /api/admin/matches/{id}/close", [200, 202], ["INVALID_STATE"]],
    ["POST /api/admin/matches/{id}/result", [200], ["INVALID_STATE", "VALIDATION_FAILED"]],
    ["POST /api/admin/markets/{id}/void", [200, 202], ["NOT_FOUND", "INVALID_STATE"]],
    ["POST /api/admin/matches/{id}/settle", [202], ["MATCH_INCOMPLETE", "NO_RESULT", "BETS_QUARANTINED"]],
    ["POST /api/admin/betting", [200, 202], []],
    ["GET /api/admin/write-behind", [200], []],
    ["GET /api/admin/audit", [200], ["VALIDATION_FAILED"]],
    ["GET /api/health", [200, 503], []],
    ["GET /api/metrics", [200], ["UNAUTHENTICATED", "FORBIDDEN"]],
    ["GET /api/openapi.json", [200], []],
    ["PATCH /api/admin/matches/{id}", [200], ["VERSION_CONFLICT", "INVALID_STATE"]],
    ["GET /api/admin/matches/{id}/settlement", [200], ["NOT_FOUND"]],
    ["POST /api/admin/write-behind/quarantine/{partition}/{streamId}", [200], ["NOT_FOUND", "INVALID_STATE"]],
    ["POST /api/wallet/withdrawals", [201, 200], ["INSUFFICIENT_FUNDS", "IDEMPOTENCY_KEY_REUSED"]],
    ["GET /api/wallet/transactions", [200], ["VALIDATION_FAILED"]],
    ["GET /api/wallet/limits", [200], ["UNAUTHENTICATED", "FORBIDDEN"]],
    ["PUT /api/wallet/limits", [200], ["VALIDATION_FAILED"]],
    ["POST /api/account/exclusion", [200], ["VALIDATION_FAILED"]],
    ["POST /api/wallet/deposits", [201], ["DEPOSIT_LIMIT_EXCEEDED"]],
    ["POST /api/auth/login", [200], ["ACCOUNT_EXCLUDED"]],
  ];

  it.each(apiMd)("has API.md's %s with its answers and errors", (key, statuses, codes) => {
    const op = operation(key);
    for (const status of statuses) expect(op.responses, `${key} ${status}`).toHaveProperty(String(status));
    expect(codesOf(op)).toEqual(expect.arrayContaining(codes));
  });

  it("pages the bets and the audit log with API.md's query parameters", () => {
    const query = (key: string) => (operation(key).parameters ?? []).filter((p) => p.in === "query").map((p) => p.name);
    expect(query("GET /api/bets").sort()).toEqual(["cursor", "from", "limit", "state", "status", "to"]);
    expect(query("GET /api/admin/audit").sort()).toEqual(["action", "cursor", "entityId", "limit"]);
    const limit = operation("GET /api/admin/audit").parameters!.find((p) => p.name === "limit")!;
    expect(limit.schema).toMatchObject({ minimum: 1, maximum: 200, default: 100 });
  });

  it("answers staff actions not yet in effect with 202 and inEffect: false", () => {
    const staffActions = [
      "PATCH /api/admin/selections/{id}",
      "POST /api/admin/matches/{id}/suspend",
      "POST /api/admin/matches/{id}/resume",
      "POST /api/admin/matches/{id}/close",
      "POST /api/admin/betting",
    ];
    for (const key of staffActions) {
      const ref = (operation(key).responses[202]?.content?.["application/json"]?.schema as { $ref: string }).$ref;
      const schema = document.components.schemas[ref.split("/").at(-1)!] as any;
      expect(schema.properties.inEffect, key).toEqual({ type: "boolean", const: false });
      expect(schema.required, key).toEqual(expect.arrayContaining(["inEffect", "message"]));
    }
  });

  it("lists 403 CSRF, 413 and 415 on every state-changing route, and 400 on every route taking a body", () => {
    for (const { key, operation: op } of documented.filter((d) => !d.key.startsWith("GET "))) {
      expect(codesOf(op), key).toEqual(expect.arrayContaining(["CSRF", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"]));
      if (op.requestBody) expect(codesOf(op), key).toContain("VALIDATION_FAILED");
    }
  });

  it("describes request bodies as the routes parse them: the input side of their zod schemas", () => {
    const [placeBet, accumulator] = (document.components.schemas.PlaceBet as any).anyOf;
    expect(placeBet.required.sort()).toEqual(["idempotencyKey", "odds", "selectionId", "stake"]); // acceptOddsChanges has a default
    expect(accumulator.required.sort()).toEqual(["idempotencyKey", "legs", "stake"]);
    expect(placeBet.properties.odds).toMatchObject({ type: "string", pattern: "^\\d{1,4}\\.\\d{1,2}$" }); // before the transform to hundredths
    expect((document.components.schemas.MatchResult as any).anyOf).toHaveLength(3);
  });
});
