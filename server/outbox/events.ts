import { z } from "zod";
import { marketStatus, matchStatus, settlementState } from "@/drizzle/schema";

/**
 * The outbox's event contract, shared by the writers (use cases, in their transaction) and the relay.
 * A catalog event carries the whole root after the change: caches can apply it directly (push modes) and
 * compare versions (conditional modes), and the relay can write live odds without reading PostgreSQL again.
 */
const selectionSnapshot = z.object({ id: z.string(), name: z.string(), odds: z.string(), version: z.number().int() });
export const matchSnapshotSchema = z.object({
  id: z.string(),
  sport: z.string(),
  competition: z.string(),
  home: z.string(),
  away: z.string(),
  startsAt: z.string(),
  status: z.enum(matchStatus.enumValues),
  settlementState: z.enum(settlementState.enumValues),
  result: z.union([z.null(), z.object({ winnerSelectionId: z.string() }), z.object({ void: z.literal(true) })]),
  version: z.number().int(),
  markets: z.array(
    z.object({ id: z.string(), name: z.string(), status: z.enum(marketStatus.enumValues), selections: z.array(selectionSnapshot) }),
  ),
});

export const outboxEvents = {
  matchChanged: { topic: "catalog.match", payload: z.object({ match: matchSnapshotSchema }) },
  // Written by the payout SQL (settle_match), which cannot build a match root: the relay loads the root instead.
  matchSettled: { topic: "catalog.match-settled", payload: z.object({ matchId: z.string() }) },
  bettingSwitched: { topic: "betting.kill-switch", payload: z.object({ suspended: z.boolean(), version: z.number().int() }) },
  // A credit to a customer in the ledger; `entry` ("KIND:reference") is unique, so Redis applies it once.
  walletCredited: {
    topic: "wallet.credit",
    payload: z.object({ userId: z.string(), amount: z.number().int().positive(), entry: z.string() }),
  },
  // A quarantined bet resolved by staff (server/betting/quarantine.ts): its Redis reservation goes, once per bet.
  reservationReleased: {
    topic: "wallet.release",
    payload: z.object({ userId: z.string(), betId: z.string(), stake: z.number().int().positive(), refund: z.boolean() }),
  },
} as const;

export type OutboxEventName = keyof typeof outboxEvents;
export type OutboxPayload<E extends OutboxEventName> = z.infer<(typeof outboxEvents)[E]["payload"]>;
