import { z } from "zod";
import { validationError } from "@/server/errors";

// A page's cursor for lists ordered by a bigserial id (the audit log, the ledger): the last id shown, opaque to
// clients, checked as digits in the safe integer range before it reaches a query.
const cursorIdSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/)
  .transform(Number)
  .refine(Number.isSafeInteger);

export const encodeIdCursor = (id: number | string) => Buffer.from(String(id)).toString("base64url");

export function decodeIdCursor(cursor: string): number {
  const id = cursorIdSchema.safeParse(Buffer.from(cursor, "base64url").toString());
  if (!id.success) throw validationError([{ path: "cursor", message: "Not a cursor from this API." }]);
  return id.data;
}
