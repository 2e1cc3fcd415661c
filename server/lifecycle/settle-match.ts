import { and, eq, isNull, or, sql } from "drizzle-orm";
import { matches, quarantinedEntries } from "@/drizzle/schema";
import { matchResult } from "@/server/catalog/load-matches";
import { AppError, findPgError } from "@/server/errors";
import type { Deps } from "@/server/deps";
import type { SettlementOutcome } from "./match-result.shared";

// SQLSTATEs raised by the payout's first transaction (settle_match_begin in drizzle/sql/settle_match.sql).
const refusals = {
  BM001: "MATCH_INCOMPLETE",
  BM002: "NO_RESULT",
  BM003: "BETS_QUARANTINED",
} as const;

/** What blocks a match's payout: unresolved entries naming it, or naming no readable match (it may be this one). */
export function blocksPayoutOf(matchId: string) {
  return and(isNull(quarantinedEntries.resolution), or(eq(quarantinedEntries.matchId, matchId), isNull(quarantinedEntries.matchId)));
}

/** Why a match cannot be paid out now, or null when it can (COMPLETE with a result). SETTLED is INVALID_STATE. */
export async function settlementRefusal({ db }: Pick<Deps, "db">, { matchId }: { matchId: string }): Promise<AppError | null> {
  const [match] = await db.select().from(matches).where(eq(matches.id, matchId));
  if (!match) return new AppError("NOT_FOUND", "No such match.");
  if (match.settlementState === "SETTLED")
    return new AppError("INVALID_STATE", "The match is already settled.", { settlementState: "SETTLED" });
  if (match.settlementState !== "COMPLETE") {
    return new AppError(
      "MATCH_INCOMPLETE",
      match.status === "CLOSED"
        ? "Not every bet accepted before the close is in the database yet: wait for every partition's completion marker."
        : "Close betting first: a match is paid out only once every bet accepted before the close is in the database.",
      { status: match.status, settlementState: match.settlementState },
    );
  }
  if (matchResult(match) === null) return new AppError("NO_RESULT", "Record the result (the score, or void) first.");
  const quarantined = await db.$count(quarantinedEntries, blocksPayoutOf(matchId));
  if (quarantined > 0) {
    return new AppError(
      "BETS_QUARANTINED",
      "Accepted bets of this match are in quarantine (PostgreSQL refused them): resolve them on the write-behind page first.",
      {
        quarantined,
      },
    );
  }
  return null;
}

/**
 * Runs the payout SQL: the procedure a person runs with drizzle/settle-match.sql. It commits as it goes (its first
 * transaction, then each chunk of bets, then the last), so it is called outside a transaction; a run that stopped
 * half-way (a killed worker) is resumed by the next. A refusal comes back as the API's error; a run on a SETTLED
 * match pays nothing (alreadySettled).
 */
export async function settleMatch(
  deps: Pick<Deps, "db">,
  { matchId, actorUserId }: { matchId: string; actorUserId: string | null },
): Promise<SettlementOutcome> {
  try {
    const [row] = await deps.db.execute<{
      match_id: string;
      already_settled: boolean;
      bets_settled: number;
      won: number;
      lost: number;
      voided: number;
      stakes: string;
      payouts: string;
    }>(sql`call settle_match(${matchId}, ${actorUserId})`);
    return {
      matchId: row!.match_id,
      alreadySettled: row!.already_settled,
      betsSettled: row!.bets_settled,
      won: row!.won,
      lost: row!.lost,
      voided: row!.voided,
      stakes: Number(row!.stakes),
      payouts: Number(row!.payouts),
    };
  } catch (error) {
    const pg = findPgError(error);
    const code = pg?.code && pg.code in refusals ? refusals[pg.code as keyof typeof refusals] : null;
    if (code) throw new AppError(code, pg?.message ?? code);
    throw error;
  }
}
