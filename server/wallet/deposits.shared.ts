import { z } from "zod";
import { idempotencyKeySchema } from "@/server/fields.shared";

// Wallet request shapes, shared by the route handlers, the deposit form and the tests.
export const depositSchema = z.object({
  amount: z
    .number()
    .int("Amount is in minor units (whole cents).")
    .min(1, "The smallest deposit is 0.01.")
    .max(1_000_000, "The largest deposit is 10,000.00."),
  idempotencyKey: idempotencyKeySchema,
});
