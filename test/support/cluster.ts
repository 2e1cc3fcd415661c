import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Redis } from "ioredis";
import { withNode } from "@/scripts/lib/local-redis";
import { dataDir, profiles, startRedis } from "@/scripts/lib/local-services";
import { waitFor } from "@/scripts/lib/run";
import { logKeys } from "@/server/platform/redis-keys";

/**
 * The private Redis Cluster `npm test` started (six nodes from profiles.test.clusterBasePort): its current roles,
 * and its nodes' processes, found by their pid files, for the fault tests to kill, pause and restart.
 */
export const clusterPorts = Array.from({ length: 6 }, (_, i) => profiles.test.clusterBasePort + i);

export function isPrivateTestCluster(): boolean {
  const nodes = (process.env.REDIS_CLUSTER_NODES ?? "").split(",").filter(Boolean);
  return nodes.length > 0 && nodes.every((n) => clusterPorts.includes(Number(n.split(":")[1])));
}

export type ClusterNode = { id: string; port: number; role: "master" | "replica"; primaryId: string | null; slots: [number, number][] };

// A paused node must not hold a query up for long.
const onNode = <T>(port: number, query: (redis: Redis) => Promise<T>) => withNode(port, query, 1_000);

/** The cluster as the first answering node sees it (a paused or dead node is skipped). */
export async function clusterNodes(): Promise<ClusterNode[]> {
  for (const port of clusterPorts) {
    const text = await onNode(port, (redis) => redis.cluster("NODES") as Promise<string>).catch(() => null);
    if (!text) continue;
    return text
      .trim()
      .split("\n")
      .map((line) => {
        const [id, address, flags, primary, , , , , ...slots] = line.split(" ");
        return {
          id: id!,
          port: Number(address!.split("@")[0]!.split(":")[1]),
          role: flags!.includes("master") && !flags!.includes("fail") ? "master" : "replica",
          primaryId: primary === "-" ? null : primary!,
          slots: slots
            .filter((s) => !s.startsWith("["))
            .map((s) => s.split("-").map(Number) as [number, number])
            .map(([a, b]) => [a!, b ?? a!]),
        } satisfies ClusterNode;
      });
  }
  throw new Error("no cluster node answers");
}

/** The port of the primary now serving a partition's slot. */
export async function primaryOfPartition(partition: number): Promise<number> {
  const slot = await onNode(clusterPorts.find(Boolean)!, (redis) => redis.cluster("KEYSLOT", logKeys.stream(partition)) as Promise<number>);
  const owner = (await clusterNodes()).find((n) => n.role === "master" && n.slots.some(([a, b]) => slot >= a && slot <= b));
  if (!owner) throw new Error(`no primary serves slot ${slot}`);
  return owner.port;
}

/** The pid of the test cluster's node on a port, checked against its command line. */
export function nodePid(port: number): number {
  const pidFile = join(dataDir(profiles.test), "redis-cluster", String(port), "redis.pid");
  const pid = Number(readFileSync(pidFile, "utf8"));
  if (!existsSync(`/proc/${pid}/cmdline`) || !readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(`:${port}`)) {
    throw new Error(`no Redis of this project on port ${port}`);
  }
  return pid;
}

/** Until another node serves the slots the node on `port` served, and the cluster says ok. */
export async function waitForFailover(port: number, slots: [number, number][]): Promise<number> {
  let promoted = 0;
  await waitFor(
    `a replica of ${port} to be promoted`,
    async () => {
      const owner = (await clusterNodes()).find((n) => n.role === "master" && n.port !== port && n.slots.some(([a]) => a === slots[0]![0]));
      promoted = owner?.port ?? 0;
      return promoted > 0;
    },
    60_000,
  );
  return promoted;
}

/** Starts the nodes that are down (they rejoin from their nodes.conf) and waits until every primary has a replica in sync. */
export async function healCluster(): Promise<void> {
  await startRedis(profiles.test, "cluster");
}
