import { z } from "zod";
import { competitions, markets, matches, selections, sports } from "@/drizzle/schema";
import type { SessionUser } from "@/server/auth/credentials.shared";
import { AppError, isUniqueViolation } from "@/server/errors";
import { isoDateTimeSchema, plainText } from "@/server/fields.shared";
import type { Deps } from "@/server/deps";
import { oddsStringSchema } from "@/server/odds.shared";
import type { DbOrTx } from "@/server/platform/db";
import { extraMarketsSchema, marketSpecs, type MarketSpec } from "./markets.shared";
import { recordMatchChange } from "./record-match-change";

const name = z.string().trim().pipe(plainText(80, "A name"));

export const createMatchSchema = z
  .object({
    sport: name,
    competition: name,
    home: name,
    away: name,
    startsAt: isoDateTimeSchema,
    odds: z.object({ home: oddsStringSchema, draw: oddsStringSchema, away: oddsStringSchema }),
    markets: extraMarketsSchema.default([]),
  })
  .refine((m) => m.home.toLowerCase() !== m.away.toLowerCase(), { path: ["away"], message: "A team cannot play itself." });

/** Inserts a new match's markets and their selections, in the order given. */
export async function insertMarkets(tx: DbOrTx, matchId: string, specs: MarketSpec[]): Promise<void> {
  const rows = await tx
    .insert(markets)
    .values(specs.map(({ type, name, line }, position) => ({ matchId, type, name, line, position })))
    .returning({ id: markets.id });
  await tx
    .insert(selections)
    .values(specs.flatMap((spec, i) => spec.selections.map((selection, position) => ({ marketId: rows[i]!.id, ...selection, position }))));
}

/**
 * Creates an open match with its "Match result" market (home, draw, away) and the extra markets asked for: the
 * catalog's half of creating a match.
 * The use case is createMatch in server/lifecycle/kick-off.ts, which also schedules the close at kick-off.
 */
export async function createMatchRoot(
  deps: Pick<Deps, "db">,
  { actor, ...input }: { actor: SessionUser } & z.output<typeof createMatchSchema>,
) {
  try {
    return await deps.db.transaction(async (tx) => {
      const [sport] = await tx
        .insert(sports)
        .values({ name: input.sport })
        .onConflictDoUpdate({ target: sports.name, set: { name: input.sport } })
        .returning();
      const [competition] = await tx
        .insert(competitions)
        .values({ sportId: sport!.id, name: input.competition })
        .onConflictDoUpdate({ target: [competitions.sportId, competitions.name], set: { name: input.competition } })
        .returning();
      const [match] = await tx
        .insert(matches)
        .values({ competitionId: competition!.id, home: input.home, away: input.away, startsAt: new Date(input.startsAt), status: "OPEN" })
        .returning();
      await insertMarkets(tx, match!.id, marketSpecs(input, input.odds, input.markets));
      return recordMatchChange(tx, match!.id, {
        actorUserId: actor.id,
        action: "match.create",
        entityType: "match",
        entityId: match!.id,
        before: null,
      });
    });
  } catch (error) {
    if (isUniqueViolation(error, "matches_fixture_key")) throw new AppError("INVALID_STATE", "This match already exists at that time.");
    throw error;
  }
}
