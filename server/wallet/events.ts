import { z } from "zod";
import { defineOutboxEvent } from "@/server/outbox/events";

/** The wallet's outbox events. */
export const walletEvents = {
  // A credit to a customer in the ledger; `entry` ("KIND:reference") is unique, so Redis applies it once.
  // Also written by the payout SQL (drizzle/sql/settle_match.sql).
  walletCredited: defineOutboxEvent(
    "wallet.credit",
    z.object({ userId: z.string(), amount: z.number().int().positive(), entry: z.string() }),
  ),
};
