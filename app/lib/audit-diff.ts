import { formatMoney } from "./format";

// An audit entry's before and after as a list of changes a person can read: amounts in euros, ids as names where
// the page knows them, only what changed.

export type AuditChange = { field: string; before: string | null; after: string | null };

// Fields held in minor units.
const MONEY_FIELD = /(amount|stake|stakes|balance|payout|payouts|liability)$/i;
// A whole match root recorded as "after" (a create, a close): its nested lists are summarised, not dumped.
const MAX_TEXT = 80;

function show(field: string, value: unknown, names: ReadonlyMap<string, string>): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number" && MONEY_FIELD.test(field)) return formatMoney(value);
  if (typeof value === "string") return names.get(value) ?? value;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `${value.length} ${value.length === 1 ? "item" : "items"}`;
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === "string" ? (names.get(v) ?? v) : v));
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

const asRecord = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** The fields that differ between before and after (every field of `after` for a creation), in a stable order. */
export function auditChanges(before: unknown, after: unknown, names: ReadonlyMap<string, string> = new Map()): AuditChange[] {
  const [b, a] = [asRecord(before), asRecord(after)];
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((f) => f !== "id");
  return fields
    .map((field) => ({ field, before: show(field, b[field], names), after: show(field, a[field], names) }))
    .filter((c) => c.before !== c.after);
}
