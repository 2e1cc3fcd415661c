import { z } from "zod";
import { idempotencyKeySchema, moneySchema } from "@/server/fields.shared";

// Wallet request shapes, shared by the route handlers, the deposit form and the tests.
export const depositSchema = z.object({
  // The deposits table's CHECK holds the same range.
  amount: moneySchema(1_000_000, "A deposit"),
  idempotencyKey: idempotencyKeySchema,
});
