import { createHash } from "node:crypto";

/**
 * Redis keys of one write-behind partition share a hash tag, so one Lua script can touch all of them and the
 * layout works on Redis Cluster. Live odds and the kill switch are copied into every partition for that reason.
 */
export function partitionTag(partition: number): string {
  return `{p${partition}}`;
}

export function allPartitions(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}

/**
 * A bettor's partition: their wallet, idempotency keys and bets live together, so one script can check and
 * reserve. Changing the partition count moves users: drain the queue and rebuild the wallets first.
 */
export function partitionOfUser(userId: string, count: number): number {
  return createHash("sha1").update(userId).digest().readUInt32BE(0) % count;
}
