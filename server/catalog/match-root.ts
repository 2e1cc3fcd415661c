import { z } from "zod";
import { marketStatus, matchStatus, settlementState } from "@/drizzle/schema";
import { marketTypes } from "./market-kinds.shared";

/**
 * The catalog's root object, exactly as API.md's `Match`: one schema, and its type, for the loader, the outbox
 * events, the caches' push messages and the API. A catalog event carries the whole root after the change, so
 * caches can apply it directly (push modes) and the relay can write live odds without reading PostgreSQL again.
 */
export const matchResultSchema = z.union([
  z.null(),
  z.object({ winnerSelectionId: z.string() }),
  z.object({ void: z.literal(true) }),
  z.object({ score: z.object({ home: z.number().int(), away: z.number().int() }) }),
]);

export const selectionSchema = z.object({ id: z.string(), name: z.string(), odds: z.string(), version: z.number().int() });

export const matchSchema = z.object({
  id: z.string(),
  sport: z.string(),
  competition: z.string(),
  home: z.string(),
  away: z.string(),
  startsAt: z.string(),
  status: z.enum(matchStatus.enumValues),
  settlementState: z.enum(settlementState.enumValues),
  result: matchResultSchema,
  version: z.number().int(),
  // The cap on any one selection's liability (API.md "Trader risk"), minor units; null: the deployment's default.
  maxLiability: z.number().int().nullable().default(null),
  markets: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      // Defaults: roots written to the outbox by the first release had match results only.
      type: z.enum(marketTypes).default("MATCH_RESULT"),
      line: z.string().nullable().default(null),
      status: z.enum(marketStatus.enumValues),
      // An extension of API.md's Market: abandoned on its own (status CLOSED), its stakes returned by the payout.
      voided: z.boolean().default(false),
      selections: z.array(selectionSchema),
    }),
  ),
});

export type MatchDto = z.infer<typeof matchSchema>;
export type MatchStatus = MatchDto["status"];
