import { z } from "zod";
import { AppError } from "@/server/errors";
import { uuidOf } from "@/server/fields.shared";
import { parseInput } from "@/server/validation";
import type { MatchDto } from "./match-root";

const matchIdSchema = uuidOf("a match id");
export const matchParamsSchema = z.object({ id: matchIdSchema });

/** The read path a match is found through: the instance's cache, or PostgreSQL when the cache is switched off. */
export type MatchReader = { getMatch(id: string): Promise<MatchDto | null> };

/** Validates the id (400) and finds the match through the given read path, else 404. */
export async function getMatch(reader: MatchReader, params: unknown): Promise<MatchDto> {
  const { id } = parseInput(matchParamsSchema, params);
  const match = await reader.getMatch(id);
  if (!match) throw new AppError("NOT_FOUND", "No such match.");
  return match;
}
