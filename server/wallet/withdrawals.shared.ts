import { z } from "zod";
import { idempotencyKeySchema } from "@/server/fields.shared";

// The withdrawal request, shared by the route handler, the withdraw form and the tests.
export const withdrawalSchema = z.object({
  amount: z
    .number()
    .int("Amount is in minor units (whole cents).")
    .min(1, "The smallest withdrawal is 0.01.")
    .max(1_000_000_000, "The largest withdrawal is 10,000,000.00."),
  idempotencyKey: idempotencyKeySchema,
});
export type WithdrawalInput = z.output<typeof withdrawalSchema>;
