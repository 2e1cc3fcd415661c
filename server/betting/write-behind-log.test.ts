import { describe, expect, it } from "vitest";
import { partitionOfUser } from "@/server/platform/partitions";
import { betReference, compareStreamIds, decodeAcceptedBet, streamIdTime } from "./write-behind-log";

describe("write-behind log format", () => {
  it("orders stream ids numerically, not as text", () => {
    expect(compareStreamIds("999-0", "1000-0")).toBeLessThan(0);
    expect(compareStreamIds("1000-10", "1000-9")).toBeGreaterThan(0);
    expect(compareStreamIds("1000-1", "1000-1")).toBe(0);
  });

  it("derives a unique, readable reference and the acceptance time from the stream id", () => {
    expect(betReference(3, "1700000000000-0")).toBe("B3-LOYW3V28-0");
    expect(betReference(3, "1700000000000-1")).not.toBe(betReference(4, "1700000000000-1"));
    expect(streamIdTime("1700000000000-5").toISOString()).toBe("2023-11-14T22:13:20.000Z");
  });

  it("decodes the accepted-bet record without floating point", () => {
    expect(decodeAcceptedBet("b|1-0|s|m|123456789012|210")).toEqual({
      id: "b",
      streamId: "1-0",
      selectionId: "s",
      matchId: "m",
      stake: 123456789012,
      odds: 210,
      legs: [{ selectionId: "s", matchId: "m", odds: 210 }],
    });
    // An accumulator: no selection of its own, its combined odds, and its legs.
    expect(decodeAcceptedBet("a|2-0|||1000|993|s1:m1:215;s2:m2:462")).toEqual({
      id: "a",
      streamId: "2-0",
      selectionId: null,
      matchId: null,
      stake: 1000,
      odds: 993,
      legs: [
        { selectionId: "s1", matchId: "m1", odds: 215 },
        { selectionId: "s2", matchId: "m2", odds: 462 },
      ],
    });
  });

  it("spreads users over every partition, and always puts a user in the same one", () => {
    const counts = new Array(8).fill(0);
    for (let i = 0; i < 8000; i++) counts[partitionOfUser(`user-${i}`, 8)]++;
    expect(Math.min(...counts)).toBeGreaterThan(800);
    expect(partitionOfUser("a-user", 8)).toBe(partitionOfUser("a-user", 8));
  });
});
