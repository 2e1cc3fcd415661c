import { z } from "zod";
import packageJson from "@/package.json";
import { SESSION_COOKIE } from "@/server/auth/sessions";
import { errorStatus, type ErrorCode } from "@/server/errors";
import { operations, type Answer, type Auth, type Named, type Operation } from "./operations";
import { errorBodySchema } from "./response-schemas";

/**
 * The OpenAPI 3.1 document of the API, built from the operations registry with zod's own JSON Schema output
 * (draft 2020-12, OpenAPI 3.1's dialect). Request schemas are converted as their input (what a client sends:
 * defaults optional, before transforms), answers as their output.
 */

export type JsonSchema = z.core.JSONSchema.BaseSchema;

export type OpenApiParameter = { name: string; in: "path" | "query"; required: boolean; description?: string; schema: JsonSchema };
export type OpenApiResponse = {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content?: Record<string, { schema: JsonSchema }>;
};
export type OpenApiOperation = {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  "x-auth": Auth;
  security: Record<string, string[]>[];
  parameters?: OpenApiParameter[];
  requestBody?: { required: true; content: { "application/json": { schema: JsonSchema } } };
  responses: Record<string, OpenApiResponse>;
};
export type OpenApiDocument = {
  openapi: string;
  info: { title: string; version: string; description: string };
  tags: { name: string }[];
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, unknown> };
};

const COMPONENTS = "#/components/schemas/";
const TARGET = "draft-2020-12";

// Answers may gain fields (API.md: "extend it, never break it"), so their objects are documented open. zod marks a
// plain object's output closed; the integration test closes them again to catch an undocumented field.
const openObjects = ({ jsonSchema }: { jsonSchema: JsonSchema }) => {
  if (jsonSchema.additionalProperties === false) delete jsonSchema.additionalProperties;
};

const security: Record<Auth, Record<string, string[]>[]> = {
  anonymous: [],
  "signed-in": [{ session: [] }],
  bettor: [{ session: ["bettor"] }],
  staff: [{ session: ["staff"] }],
  // `{}`: without a token configured, a loopback client needs none.
  metrics: [{ metricsToken: [] }, {}],
};

/** Errors every operation of its kind can answer, whatever the route does: the wrapper's, the session's, zod's. */
function impliedErrors(op: Operation): ErrorCode[] {
  const codes: ErrorCode[] = [];
  if (op.auth !== "anonymous") codes.push("UNAUTHENTICATED");
  if (op.auth === "bettor" || op.auth === "staff" || op.auth === "metrics") codes.push("FORBIDDEN");
  if (op.method !== "GET") codes.push("CSRF", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE");
  if (op.params || op.query || op.body) codes.push("VALIDATION_FAILED");
  return codes;
}

export function buildOpenApiDocument(ops: Operation[] = operations): OpenApiDocument {
  const requests = z.registry<{ id: string }>();
  const answers = z.registry<{ id: string }>();
  const named = new Map<string, z.ZodType>();
  const ref = (registry: typeof requests, { id, schema }: Named): JsonSchema => {
    const known = named.get(id);
    if (known && known !== schema) throw new Error(`Two different schemas are named ${id}.`);
    if (!known) {
      named.set(id, schema);
      registry.add(schema, { id });
    }
    return { $ref: COMPONENTS + id };
  };

  // The 202 of a staff action not yet in effect: its usual body, flagged (app/lib/in-effect.ts).
  const notInEffect = (body: Named): Named => {
    const id = `${body.id}NotInEffect`;
    const known = named.get(id);
    if (known) return { id, schema: known };
    if (!(body.schema instanceof z.ZodObject)) throw new Error(`${body.id}: a staff action answers an object.`);
    return { id, schema: body.schema.extend({ inEffect: z.literal(false), message: z.string() }) };
  };

  const response = ({ description, body, contentType }: Answer): OpenApiResponse => {
    if (!body && !contentType) return { description };
    const type = contentType ?? "application/json";
    const schema: JsonSchema = body ? ref(answers, body) : { type: type === "application/json" ? "object" : "string" };
    return { description, content: { [type]: { schema } } };
  };

  const paths: OpenApiDocument["paths"] = {};
  for (const op of ops) {
    checkPathParameters(op);
    const responses: Record<string, OpenApiResponse> = {};
    for (const [status, answer] of Object.entries(op.answers)) responses[status] = response(answer);
    if (op.staffAction) {
      const body = op.answers[200]?.body;
      if (!body) throw new Error(`${op.method} ${op.path}: a staff action needs its 200 body.`);
      responses[202] = response({
        description: "Saved, but not in effect for bets yet: the outbox relay will apply it.",
        body: notInEffect(body),
      });
    }
    for (const [status, codes] of errorsByStatus([...impliedErrors(op), ...(op.errors ?? [])])) {
      if (responses[status]) throw new Error(`${op.method} ${op.path}: ${status} is both an answer and an error.`);
      responses[status] = errorResponse(codes);
    }
    const operation: OpenApiOperation = {
      operationId: operationId(op),
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      tags: [op.tag],
      "x-auth": op.auth,
      security: security[op.auth],
      ...(op.params || op.query ? { parameters: [...parameters(op.params, "path"), ...parameters(op.query, "query")] } : {}),
      ...(op.body ? { requestBody: { required: true as const, content: { "application/json": { schema: ref(requests, op.body) } } } } : {}),
      responses,
    };
    paths[op.path] = { ...paths[op.path], [op.method.toLowerCase()]: operation };
  }

  const uri = (id: string) => COMPONENTS + id;
  const schemas = {
    ...z.toJSONSchema(requests, { target: TARGET, io: "input", uri }).schemas,
    ...z.toJSONSchema(answers, { target: TARGET, io: "output", uri, override: openObjects }).schemas,
  };
  for (const schema of Object.values(schemas)) {
    // Each component is part of this document: no dialect or base URI of its own.
    delete schema.$schema;
    delete schema.$id;
  }

  return {
    openapi: "3.1.1",
    info: {
      title: "Bookmaker API",
      version: packageJson.version,
      description: [
        "JSON in and out. Money: integer minor units. Odds: decimal strings with two decimals (inputs may have one). Ids: UUID strings. Times: ISO-8601 UTC.",
        'Errors: `{"error": {"code", "message", ...details}}`; bad input is 400 VALIDATION_FAILED with `issues: [{path, message}]`.',
        "Auth: the session cookie set by register or login. A state-changing request from a foreign Origin is 403 CSRF.",
        "A body must be `application/json` in UTF-8 (else 415) and at most 64 KB (else 413). Answers are `Cache-Control: no-store` unless stated.",
      ].join("\n\n"),
    },
    tags: [...new Set(ops.map((op) => op.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas,
      securitySchemes: {
        session: {
          type: "apiKey",
          in: "cookie",
          name: SESSION_COOKIE,
          description: "Set by POST /api/auth/register and /api/auth/login; the scopes name the role required.",
        },
        metricsToken: {
          type: "http",
          scheme: "bearer",
          description: "METRICS_TOKEN. Without one configured, only loopback clients may scrape.",
        },
      },
    },
  };
}

let built: OpenApiDocument | undefined;

/** The document, built once per process: it depends only on code. */
export function getOpenApiDocument(): OpenApiDocument {
  return (built ??= buildOpenApiDocument());
}

/** `/api/bets/{id}`'s placeholders must be exactly the params schema's keys, so the document cannot name others. */
function checkPathParameters(op: Operation) {
  const placeholders = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
  const keys = Object.keys(op.params?.shape ?? {}).sort();
  if (placeholders.join() !== keys.join())
    throw new Error(`${op.method} ${op.path}: path parameters ${placeholders.join()} but params schema ${keys.join()}.`);
}

function parameters(schema: z.ZodObject | undefined, where: "path" | "query"): OpenApiParameter[] {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { target: TARGET, io: "input" });
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property as JsonSchema;
    return {
      name,
      in: where,
      required: where === "path" || (json.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

function errorsByStatus(codes: ErrorCode[]): [number, [ErrorCode, ...ErrorCode[]]][] {
  const byStatus = new Map<number, [ErrorCode, ...ErrorCode[]]>();
  for (const code of new Set(codes)) {
    const status = errorStatus[code];
    const same = byStatus.get(status);
    if (same) same.push(code);
    else byStatus.set(status, [code]);
  }
  return [...byStatus].sort(([a], [b]) => a - b);
}

function errorResponse(codes: [ErrorCode, ...ErrorCode[]]): OpenApiResponse {
  const schema = z.toJSONSchema(errorBodySchema(codes), { target: TARGET, io: "output", override: openObjects });
  delete schema.$schema;
  return {
    description: codes.join(", "),
    ...(codes.includes("RATE_LIMITED")
      ? { headers: { "Retry-After": { description: "Seconds to wait.", schema: { type: "integer" } } } }
      : {}),
    content: { "application/json": { schema } },
  };
}

/** `POST /api/admin/matches/{id}/close` -> `postAdminMatchesByIdClose`. */
function operationId(op: Operation): string {
  const words = op.path
    .replace(/^\/api\//, "")
    .split(/[/.-]/)
    .map((segment) => segment.replace(/^\{(.+)\}$/, "by-$1"))
    .flatMap((segment) => segment.split("-"));
  return op.method.toLowerCase() + words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("");
}
