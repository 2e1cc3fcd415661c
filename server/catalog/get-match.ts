import { z } from "zod";
import { AppError } from "@/server/errors";
import { uuidOf } from "@/server/fields";
import { parseInput } from "@/server/validation";
import type { MatchDto } from "./match-root";

const matchIdSchema = uuidOf("a match id");
export const matchParamsSchema = z.object({ id: matchIdSchema });

/** Validates the id (400) and finds the match through the given read path (cache or database), else 404. */
export async function getMatch(find: (id: string) => Promise<MatchDto | null>, params: unknown): Promise<MatchDto> {
  const { id } = parseInput(matchParamsSchema, params);
  const match = await find(id);
  if (!match) throw new AppError("NOT_FOUND", "No such match.");
  return match;
}
