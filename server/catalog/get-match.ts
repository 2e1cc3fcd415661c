import { eq } from "drizzle-orm";
import { z } from "zod";
import { matches } from "@/drizzle/schema";
import { AppError } from "@/server/errors";
import type { DbOrTx } from "@/server/platform/db";
import { parseInput } from "@/server/validation";
import { loadMatches, type MatchDto } from "./load-matches";

export const matchIdSchema = z.uuid({ message: "Not a match id." });

export async function getMatch(db: DbOrTx, id: string): Promise<MatchDto> {
  const matchId = parseInput(z.object({ id: matchIdSchema }), { id }).id;
  const [match] = await loadMatches(db, eq(matches.id, matchId));
  if (!match) throw new AppError("NOT_FOUND", "No such match.");
  return match;
}
