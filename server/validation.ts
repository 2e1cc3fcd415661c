import type { z } from "zod";
import { validationError } from "@/server/errors";

/** Parses untrusted input at a boundary; failure is a 400 VALIDATION_FAILED listing every field issue. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw validationError(result.error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message })));
}
