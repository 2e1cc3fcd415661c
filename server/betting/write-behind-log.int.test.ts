import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeAcceptedBet, encodeLegs, logFormatLua, parseEntries, type StreamEntry } from "./write-behind-log";
import { connectTestRedis } from "@/test/support/redis";

const redis = connectTestRedis();

describe("the log's format, Lua writers against TypeScript readers", () => {
  it("round-trips a bet, an accumulator, a marker, a cash-out and the accepted-bet records", async () => {
    // A stream of the test's own, outside every partition the flushers read.
    const stream = `bm:{test-${randomUUID()}}:bets`;
    const bet = {
      betId: randomUUID(),
      userId: randomUUID(),
      selectionId: randomUUID(),
      matchId: randomUUID(),
      stake: 123456789012,
      odds: 210,
      idempotencyKey: "ünïcode key ✓",
    };
    const legs = [bet, { selectionId: randomUUID(), matchId: randomUUID(), odds: 462 }].map(({ selectionId, matchId, odds }) => ({
      selectionId,
      matchId,
      odds,
    }));
    const acca = { betId: randomUUID(), legsText: encodeLegs(legs), odds: 970 };
    const [betId, markerId, record, accaId, accaRecord, cashOutId] = (await redis.eval(
      `${logFormatLua}
      local betId = logBet(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7])
      local markerId = logMarker(KEYS[1], ARGV[4])
      local accaId = logAccumulator(KEYS[1], ARGV[8], ARGV[2], ARGV[9], ARGV[5], ARGV[10], ARGV[7])
      return {betId, markerId, acceptedBetRecord(ARGV[1], betId, ARGV[3], ARGV[4], ARGV[5], ARGV[6]), accaId,
        acceptedBetRecord(ARGV[8], accaId, '', '', ARGV[5], ARGV[10], ARGV[9]), logCashOut(KEYS[1], ARGV[1], ARGV[2], 950)}`,
      1,
      stream,
      bet.betId,
      bet.userId,
      bet.selectionId,
      bet.matchId,
      bet.stake,
      bet.odds,
      bet.idempotencyKey,
      acca.betId,
      acca.legsText,
      acca.odds,
    )) as [string, string, string, string, string, string];
    try {
      const entries = (await redis.xrange(stream, "-", "+")) as StreamEntry[];
      expect(parseEntries(entries)).toEqual({
        bets: [
          { streamId: betId, ...bet, legs: [legs[0]] },
          { ...bet, streamId: accaId, betId: acca.betId, selectionId: null, matchId: null, odds: acca.odds, legs },
        ],
        cashOuts: [{ streamId: cashOutId, betId: bet.betId, userId: bet.userId, amount: 950 }],
        markers: [{ streamId: markerId, matchId: bet.matchId }],
        unreadable: [],
      });
      expect(decodeAcceptedBet(record)).toEqual({
        id: bet.betId,
        streamId: betId,
        selectionId: bet.selectionId,
        matchId: bet.matchId,
        stake: bet.stake,
        odds: bet.odds,
        legs: [legs[0]],
      });
      expect(decodeAcceptedBet(accaRecord)).toEqual({
        id: acca.betId,
        streamId: accaId,
        selectionId: null,
        matchId: null,
        stake: bet.stake,
        odds: acca.odds,
        legs,
      });
    } finally {
      await redis.del(stream);
    }
  });
});
