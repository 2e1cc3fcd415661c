import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import type { JsonSchema, OpenApiDocument } from "@/server/openapi/document";

const BASE = "https://bookmaker.invalid/openapi.json";
// The document's own fields, which are not JSON Schema keywords: Ajv's strict mode would refuse them.
const DOCUMENT_FIELDS = ["openapi", "info", "tags", "paths", "components"];

const escape = (part: string) => part.replaceAll("~", "~0").replaceAll("/", "~1");

/** Every schema of the document, by its JSON pointer: components, parameters, request and response bodies. */
export function schemaPointers(document: OpenApiDocument): string[] {
  const pointers = Object.keys(document.components.schemas).map((name) => `/components/schemas/${escape(name)}`);
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const at = `/paths/${escape(path)}/${method}`;
      op.parameters?.forEach((_, i) => pointers.push(`${at}/parameters/${i}/schema`));
      if (op.requestBody) pointers.push(`${at}/requestBody/content/application~1json/schema`);
      for (const [status, response] of Object.entries(op.responses)) {
        for (const type of Object.keys(response.content ?? {})) pointers.push(`${at}/responses/${status}/content/${escape(type)}/schema`);
      }
    }
  }
  return pointers;
}

/**
 * The document in Ajv (JSON Schema 2020-12, OpenAPI 3.1's dialect, formats checked), so a schema is compiled where it
 * stands and its `#/components/...` references resolve. `exact` closes every object that does not say otherwise:
 * the published answers stay open for additions, but an answer with a field the document lacks should fail a test.
 */
export function documentAjv(document: OpenApiDocument, { exact = false } = {}) {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  for (const field of DOCUMENT_FIELDS) ajv.addKeyword(field);
  const copy = structuredClone(document);
  if (exact) closeObjects(copy);
  ajv.addSchema({ $id: BASE, ...copy });
  return {
    ajv,
    compile: (pointer: string): ValidateFunction => ajv.compile({ $ref: `${BASE}#${pointer}` }),
    /** The schema at a pointer, as published. */
    schemaAt: (pointer: string): JsonSchema =>
      pointer
        .split("/")
        .slice(1)
        .reduce((node: any, part) => node[part.replaceAll("~1", "/").replaceAll("~0", "~")], document),
  };
}

function closeObjects(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(closeObjects);
  if (typeof node !== "object" || node === null) return;
  const object = node as Record<string, unknown>;
  if (typeof object.properties === "object" && !("additionalProperties" in object)) object.additionalProperties = false;
  Object.values(object).forEach(closeObjects);
}

/** Where an answer's schema sits: `responsePointer("POST", "/api/bets", 201)`. */
export function responsePointer(method: string, path: string, status: number, type = "application/json"): string {
  return `/paths/${escape(path)}/${method.toLowerCase()}/responses/${status}/content/${escape(type)}/schema`;
}
