import { z } from "zod";

/**
 * Field schemas every boundary composes. Each admits only what PostgreSQL's column admits, because a bettor's
 * text can travel through the write-behind log and must never be refused there (I9): PostgreSQL text refuses NUL,
 * and a lone UTF-16 surrogate would be stored as U+FFFD, a different value from the one Redis holds.
 */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/** Printable text of 1..max characters (no control characters, well-formed Unicode). */
export function plainText(max: number, label = "This field") {
  return z
    .string()
    .min(1, `${label} is required.`)
    .max(max, `${label} may be at most ${max} characters.`)
    .refine((s) => !CONTROL_CHARACTER.test(s), `${label} may not contain control characters.`)
    .refine((s) => s.isWellFormed(), `${label} is not valid text.`);
}

/** Money in integer minor units from 0.01 up to `max`, named `what` in messages ("A deposit"). */
export const moneySchema = (max: number, what: string) =>
  z
    .number()
    .int(`${what} is in minor units (whole cents).`)
    .min(1, `${what} is at least 0.01.`)
    .max(max, `${what} is at most ${(max / 100).toLocaleString("en-GB", { minimumFractionDigits: 2 })}.`);

/** A client's idempotency key: printable, at most 100 characters (a UUID is the usual choice). */
export const idempotencyKeySchema = plainText(100, "The idempotency key");

/** An id in a path, a body or a cursor: a UUID, checked before any query. */
export const uuidOf = (what: string) => z.uuid({ message: `Not ${what}.` });

/** An ISO-8601 time with an offset, within years PostgreSQL's timestamptz and JavaScript's Date both hold. */
export const isoDateTimeSchema = z.iso
  .datetime({ offset: true, message: "A date and time in ISO-8601, like 2026-12-01T19:45:00Z." })
  .refine((s) => {
    const year = new Date(s).getUTCFullYear();
    return year >= 1970 && year <= 9999;
  }, "The date must be between 1970 and 9999.");
