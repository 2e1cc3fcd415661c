import type { JsonSchema, OpenApiParameter } from "@/server/openapi/document";

/** A JSON Schema as the API page shows it: one row per field, nested fields with dotted names. */
export type FieldRow = { name: string; type: string; isRequired: boolean; notes: string[]; ref?: string };

export const refName = (schema: JsonSchema): string | undefined => schema.$ref?.split("/").at(-1);

const isNull = (schema: JsonSchema) => schema.type === "null";

export function typeText(schema: JsonSchema): string {
  if (schema.$ref) return refName(schema)!;
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(" | ");
  // A union's object shapes are told apart by their fields: `null | {winnerSelectionId} | {void}`.
  if (schema.anyOf)
    return (schema.anyOf as JsonSchema[])
      .map((s) => (s.properties ? `{${Object.keys(s.properties).join(", ")}}` : typeText(s)))
      .join(" | ");
  if (schema.type === "array") {
    const items = typeText((schema.items as JsonSchema | undefined) ?? {});
    return items.includes(" ") ? `(${items})[]` : `${items}[]`;
  }
  const types = [schema.type ?? []].flat();
  if (types.length === 0) return "any JSON";
  return types.map((type) => (type === "string" && schema.format ? `string (${schema.format})` : type)).join(" | ");
}

// zod gives every integer these bounds: they say "a JavaScript-safe integer", not a limit of the API.
const isLimit = (bound: number | undefined): bound is number => bound !== undefined && Math.abs(bound) !== Number.MAX_SAFE_INTEGER;

/** Limits in words. Patterns that only spell out a format (uuid, date-time) are left to the format's name. */
export function constraints(schema: JsonSchema): string[] {
  const notes: string[] = [];
  if (schema.description) notes.push(schema.description);
  const { minLength, maxLength, exclusiveMinimum } = schema;
  const minimum = isLimit(schema.minimum) ? schema.minimum : undefined;
  const maximum = isLimit(schema.maximum) ? schema.maximum : undefined;
  if (minLength !== undefined && maxLength !== undefined) notes.push(`${minLength} to ${maxLength} characters`);
  else if (maxLength !== undefined) notes.push(`at most ${maxLength} characters`);
  else if (minLength !== undefined) notes.push(`at least ${minLength} characters`);
  if (typeof exclusiveMinimum === "number") notes.push(`more than ${exclusiveMinimum}`);
  if (minimum !== undefined && maximum !== undefined) notes.push(`${minimum} to ${maximum}`);
  else if (minimum !== undefined) notes.push(`at least ${minimum}`);
  else if (maximum !== undefined) notes.push(`at most ${maximum}`);
  if (schema.pattern && !schema.format) notes.push(`matches \`${schema.pattern}\``);
  if (schema.default !== undefined) notes.push(`default ${JSON.stringify(schema.default)}`);
  return notes;
}

/** The object a field holds, if inline: itself, its array's items, or the non-null side of a nullable. */
function innerObject(schema: JsonSchema): { object: JsonSchema; suffix: string } | undefined {
  if (schema.properties) return { object: schema, suffix: "" };
  const items = schema.items as JsonSchema | undefined;
  if (schema.type === "array" && items?.properties) return { object: items, suffix: "[]" };
  const branches = (schema.anyOf ?? []) as JsonSchema[];
  const nonNull = branches.filter((s) => !isNull(s));
  if (branches.length === 2 && nonNull.length === 1 && nonNull[0]!.properties) return { object: nonNull[0]!, suffix: "" };
  return undefined;
}

export function fieldRows(schema: JsonSchema, prefix = ""): FieldRow[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).flatMap(([name, property]) => {
    const field = property as JsonSchema;
    const path = prefix + name;
    const element = (field.type === "array" ? field.items : field) as JsonSchema | undefined;
    const row: FieldRow = {
      name: path,
      type: typeText(field),
      isRequired: required.has(name),
      notes: constraints(field),
      ref: element && refName(element),
    };
    const inner = innerObject(field);
    return [row, ...(inner ? fieldRows(inner.object, `${path}${inner.suffix}.`) : [])];
  });
}

/** A body's alternatives (a union such as `{winnerSelectionId}` or `{void: true}`), each as its rows. */
export function bodyVariants(schema: JsonSchema, resolve: (name: string) => JsonSchema): FieldRow[][] {
  const target = schema.$ref ? resolve(refName(schema)!) : schema;
  const branches = (target.anyOf ?? target.oneOf) as JsonSchema[] | undefined;
  return branches ? branches.map((branch) => fieldRows(branch)) : [fieldRows(target)];
}

export function parameterRow(parameter: OpenApiParameter): FieldRow {
  const notes = [...(parameter.description ? [parameter.description] : []), ...constraints(parameter.schema)];
  return { name: `${parameter.name} (${parameter.in})`, type: typeText(parameter.schema), isRequired: parameter.required, notes };
}
