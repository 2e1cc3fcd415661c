import { z } from "zod";
import { matchSchema } from "./match-root";

/** What the relay publishes on each root type's channel (rootChannels), only after the change committed. */

export const matchMessageSchema = z.object({
  type: z.literal("match"),
  matchId: z.string(),
  version: z.number().int(),
  listed: z.boolean(),
  match: matchSchema,
  // When the change committed in PostgreSQL (ms since epoch): lets subscribers measure propagation.
  committedAt: z.number(),
});
export const bettingMessageSchema = z.object({
  type: z.literal("betting"),
  suspended: z.boolean(),
  version: z.number().int(),
  committedAt: z.number(),
});

export type MatchMessage = z.infer<typeof matchMessageSchema>;
export type BettingMessage = z.infer<typeof bettingMessageSchema>;
export type RootMessage = MatchMessage | BettingMessage;
