import type { bets } from "@/drizzle/schema";
import { formatOdds, potentialReturn } from "@/server/odds.shared";
import type { Bet } from "./bets.shared";
import { betReference, streamIdTime, type AcceptedBet, type LoggedBet } from "./write-behind-log";

/** A bet still in the write-behind log (ACCEPTED). */
export function acceptedBetDto(partition: number, bet: AcceptedBet): Bet {
  return {
    id: bet.id,
    reference: betReference(partition, bet.streamId),
    selectionId: bet.selectionId,
    matchId: bet.matchId,
    stake: bet.stake,
    odds: formatOdds(bet.odds),
    potentialReturn: potentialReturn(bet.stake, bet.odds),
    status: "ACCEPTED",
    payout: null,
    acceptedAt: streamIdTime(bet.streamId).toISOString(),
    settledAt: null,
  };
}

/** A bet written to PostgreSQL (RECORDED or settled). */
export function recordedBetDto(row: typeof bets.$inferSelect): Bet {
  return {
    id: row.id,
    reference: row.reference,
    selectionId: row.selectionId,
    matchId: row.matchId,
    stake: row.stake,
    odds: formatOdds(row.odds),
    potentialReturn: potentialReturn(row.stake, row.odds),
    status: row.status,
    payout: row.payout,
    acceptedAt: row.acceptedAt.toISOString(),
    settledAt: row.settledAt?.toISOString() ?? null,
  };
}

/** A bet PostgreSQL refused and staff refunded from the quarantine: void, its stake given back. */
export function refundedBetDto(partition: number, bet: LoggedBet, refundedAt: Date): Bet {
  const accepted = acceptedBetDto(partition, { ...bet, id: bet.betId });
  return { ...accepted, status: "VOID", payout: bet.stake, settledAt: refundedAt.toISOString() };
}
