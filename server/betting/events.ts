import { z } from "zod";
import { defineOutboxEvent } from "@/server/outbox/events";

/** The write-behind log's outbox events. */
export const bettingEvents = {
  // A quarantined bet resolved by staff (quarantine.ts): its Redis reservation goes, once per bet.
  reservationReleased: defineOutboxEvent(
    "wallet.release",
    z.object({ userId: z.string(), betId: z.string(), stake: z.number().int().positive(), refund: z.boolean() }),
  ),
};
