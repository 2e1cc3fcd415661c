import type { z } from "zod";
import type { SessionUser } from "@/server/auth/credentials.shared";
import { createMatchRoot, type createMatchSchema } from "@/server/catalog/create-match";
import type { MatchDto } from "@/server/catalog/match-root";
import { rescheduleMatchRoot, type rescheduleMatchSchema } from "@/server/catalog/reschedule-match";
import type { Deps } from "@/server/deps";
import { scheduleCloseAtKickOff } from "@/server/jobs/match-lifecycle";
import { logger } from "@/server/platform/logger";

// The use cases that set a kick-off: the catalog writes the match, then its close at kick-off is scheduled here
// (server/catalog knows nothing of the lifecycle's jobs).

type KickOffDeps = Pick<Deps, "db" | "lifecycleQueue">;

/** POST /api/admin/matches: an open match, closing by itself at kick-off. */
export async function createMatch(
  deps: KickOffDeps,
  input: { actor: SessionUser } & z.output<typeof createMatchSchema>,
): Promise<MatchDto> {
  const match = await createMatchRoot(deps, input);
  await scheduleCloseAfterCommit(deps, match);
  return match;
}

/** PATCH /api/admin/matches/:id: moves the kick-off; the close at kick-off follows it. */
export async function rescheduleMatch(
  deps: KickOffDeps,
  input: { actor: SessionUser; matchId: string } & z.output<typeof rescheduleMatchSchema>,
): Promise<MatchDto> {
  const match = await rescheduleMatchRoot(deps, input);
  await scheduleCloseAfterCommit(deps, match);
  return match;
}

/**
 * After a match is created or moved (committed): schedule its close now. Failing here must not turn the committed
 * change into an error; the minutely scheduleClosesAtKickOff job catches up.
 */
async function scheduleCloseAfterCommit(
  { lifecycleQueue }: Pick<Deps, "lifecycleQueue">,
  match: { id: string; startsAt: string },
): Promise<void> {
  await scheduleCloseAtKickOff(lifecycleQueue, match).catch((error: unknown) =>
    logger.error({ err: error, matchId: match.id }, "could not schedule the close at kick-off; the minutely job will"),
  );
}
