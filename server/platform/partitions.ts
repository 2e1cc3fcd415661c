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
