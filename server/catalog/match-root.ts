import { z } from "zod";
import { marketStatus, matchStatus, settlementState } from "@/drizzle/schema";

/**
 * The catalog's root object, exactly as API.md's `Match`: one schema, and its type, for the loader, the outbox
 * events, the caches' push messages and the API. A catalog event carries the whole root after the change, so
 * caches can apply it directly (push modes) and the relay can write live odds without reading PostgreSQL again.
 */
export const matchResultSchema = z.union([z.null(), z.object({ winnerSelectionId: z.string() }), z.object({ void: z.literal(true) })]);

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
  markets: z.array(
    z.object({ id: z.string(), name: z.string(), status: z.enum(marketStatus.enumValues), selections: z.array(selectionSchema) }),
  ),
});

export type MatchDto = z.infer<typeof matchSchema>;
export type MatchStatus = MatchDto["status"];
