import { z } from "zod";
import { idempotencyKeySchema, moneySchema } from "@/server/fields.shared";

// The withdrawal request, shared by the route handler, the withdraw form and the tests.
export const withdrawalSchema = z.object({
  // The withdrawals table's CHECK holds the same range.
  amount: moneySchema(1_000_000_000, "A withdrawal"),
  idempotencyKey: idempotencyKeySchema,
});
export type WithdrawalInput = z.output<typeof withdrawalSchema>;
