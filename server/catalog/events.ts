import { z } from "zod";
import { defineOutboxEvent } from "@/server/outbox/events";
import { matchSchema } from "./match-root";

/** The catalog's outbox events (server/catalog/outbox-handlers.ts puts them in effect). */
export const catalogEvents = {
  // A change to a match root, carrying the whole root after it.
  matchChanged: defineOutboxEvent("catalog.match", z.object({ match: matchSchema })),
  // Written by the payout SQL (drizzle/sql/settle_match.sql), which cannot build a root: the relay loads it.
  matchSettled: defineOutboxEvent("catalog.match-settled", z.object({ matchId: z.string() })),
  bettingSwitched: defineOutboxEvent("betting.kill-switch", z.object({ suspended: z.boolean(), version: z.number().int() })),
};
