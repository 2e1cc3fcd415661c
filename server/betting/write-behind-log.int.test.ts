import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeAcceptedBet, logFormatLua, parseEntries, type StreamEntry } from "./write-behind-log";
import { connectTestRedis } from "@/test/support/redis";

const redis = connectTestRedis();

describe("the log's format, Lua writers against TypeScript readers", () => {
  it("round-trips a bet, a marker and an accepted-bet record", async () => {
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
    const [betId, markerId, record] = (await redis.eval(
      `${logFormatLua}
      local betId = logBet(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7])
      local markerId = logMarker(KEYS[1], ARGV[4])
      return {betId, markerId, acceptedBetRecord(ARGV[1], betId, ARGV[3], ARGV[4], ARGV[5], ARGV[6])}`,
      1,
      stream,
      bet.betId,
      bet.userId,
      bet.selectionId,
      bet.matchId,
      bet.stake,
      bet.odds,
      bet.idempotencyKey,
    )) as [string, string, string];
    try {
      const entries = (await redis.xrange(stream, "-", "+")) as StreamEntry[];
      expect(parseEntries(entries)).toEqual({
        bets: [{ streamId: betId, ...bet }],
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
      });
    } finally {
      await redis.del(stream);
    }
  });
});
