import type { betLegs, bets } from "@/drizzle/schema";
import { accumulatorReturn, formatOdds, potentialReturn } from "@/server/odds.shared";
import type { Bet, BetLegDto, LegResult } from "./bets.shared";
import { betReference, streamIdTime, type AcceptedBet, type BetLeg, type LoggedBet } from "./write-behind-log";

const legDto = (leg: BetLeg, result: LegResult): BetLegDto => ({ ...leg, odds: formatOdds(leg.odds), result });

/** A bet still in the write-behind log (ACCEPTED). */
export function acceptedBetDto(partition: number, bet: AcceptedBet): Bet {
  return {
    id: bet.id,
    reference: betReference(partition, bet.streamId),
    type: bet.legs.length > 1 ? "ACCUMULATOR" : "SINGLE",
    selectionId: bet.selectionId,
    matchId: bet.matchId,
    legs: bet.legs.map((leg) => legDto(leg, "OPEN")),
    stake: bet.stake,
    odds: formatOdds(bet.odds),
    potentialReturn: accumulatorReturn(
      bet.stake,
      bet.legs.map((leg) => leg.odds),
    ),
    status: "ACCEPTED",
    payout: null,
    acceptedAt: streamIdTime(bet.streamId).toISOString(),
    settledAt: null,
    cashOut: null,
  };
}

// A single's one leg is decided with the bet: its result is the bet's status.
const singleLegResult = { RECORDED: "OPEN", WON: "WON", LOST: "LOST", VOID: "VOID", CASHED_OUT: "OPEN" } as const satisfies Record<
  string,
  LegResult
>;

/** A bet written to PostgreSQL (RECORDED or settled), with its legs' rows if it is an accumulator. */
export function recordedBetDto(row: typeof bets.$inferSelect, legs: (typeof betLegs.$inferSelect)[] = []): Bet {
  const isAccumulator = row.type === "ACCUMULATOR";
  return {
    id: row.id,
    reference: row.reference,
    type: row.type,
    selectionId: row.selectionId,
    matchId: row.matchId,
    legs: isAccumulator
      ? legs.map((leg) => legDto(leg, leg.result))
      : [legDto({ selectionId: row.selectionId!, matchId: row.matchId!, odds: row.odds }, singleLegResult[row.status])],
    stake: row.stake,
    odds: formatOdds(row.odds),
    potentialReturn: isAccumulator
      ? accumulatorReturn(
          row.stake,
          legs.map((leg) => leg.odds),
        )
      : potentialReturn(row.stake, row.odds),
    status: row.status,
    payout: row.payout,
    acceptedAt: row.acceptedAt.toISOString(),
    settledAt: row.settledAt?.toISOString() ?? null,
    cashOut: null,
  };
}

/** A bet PostgreSQL refused and staff refunded from the quarantine: void, its stake given back. */
export function refundedBetDto(partition: number, bet: LoggedBet, refundedAt: Date): Bet {
  const accepted = acceptedBetDto(partition, { ...bet, id: bet.betId });
  return { ...accepted, status: "VOID", payout: bet.stake, settledAt: refundedAt.toISOString() };
}
