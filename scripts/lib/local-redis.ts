import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Redis } from "ioredis";
import { findRedisServer, which } from "./prerequisites";
import { run, waitFor } from "./run";

/**
 * Private Redis topologies for development, tests and benchmarks, each node in a folder of its own under
 * .data/<profile>/ and on ports of its own:
 * - "replicated" (the default): a primary and one replica, both fsyncing every write, so an acknowledged bet is on
 *   two disks (I10); the primary refuses writes while no replica is connected (min-replicas-to-write 1).
 * - "cluster": a Redis Cluster of three primaries and three replicas, with the same settings.
 * - "single": one primary, for measuring what the second disk costs.
 * Only nodes started here are stopped by `stop()`; fault tests find a node's process by its pid file.
 */
export type RedisTopologyKind = "single" | "replicated" | "cluster";

export type RedisNode = { port: number; dir: string; pidFile: string };

export type RedisTopology = {
  kind: RedisTopologyKind;
  /** The primary's URL (single, replicated), or the first node's (cluster). */
  url: string;
  /** host:port of every cluster node, for REDIS_CLUSTER_NODES; empty unless a cluster. */
  clusterNodes: string[];
  nodes: RedisNode[];
  startedHere: boolean;
  stop(): Promise<void>;
};

export type RedisPorts = { dir: string; primaryPort: number; replicaPort: number; clusterBasePort: number };

// Two seconds before a silent primary is replaced: fault tests wait for failovers, and a loopback network never
// has a two-second hiccup.
const CLUSTER_NODE_TIMEOUT_MS = 2_000;

/** What makes a node keep every acknowledged write: AOF fsync'd before each reply, nothing evicted. */
export function durableRedisArgs(dir: string, port: number): string[] {
  // prettier-ignore
  return [
    "--port", String(port),
    "--bind", "127.0.0.1",
    "--dir", dir,
    "--appendonly", "yes",
    "--appendfsync", "always",
    // An fsync skipped during a rewrite would let a replica acknowledge a write its disk does not hold yet.
    "--no-appendfsync-on-rewrite", "no",
    "--maxmemory-policy", "noeviction",
    "--save", "",
    "--daemonize", "yes",
    "--pidfile", join(dir, "redis.pid"),
    "--logfile", join(dir, "redis.log"),
  ];
}

// A primary cut off from every replica stops taking writes: what it would accept could be lost at the failover.
// No delay before a full sync: a replica (re)joining is in sync in milliseconds instead of five seconds.
const fencedPrimaryArgs = ["--min-replicas-to-write", "1", "--min-replicas-max-lag", "10", "--repl-diskless-sync-delay", "0"];

export async function startRedisTopology(kind: RedisTopologyKind, ports: RedisPorts): Promise<RedisTopology> {
  if (kind === "cluster") return startCluster(ports);
  const primary = await startNode(join(ports.dir, "redis"), ports.primaryPort, kind === "replicated" ? fencedPrimaryArgs : []);
  const nodes = [primary];
  if (kind === "replicated") {
    const replica = await startNode(join(ports.dir, "redis-replica"), ports.replicaPort, [
      "--replicaof",
      "127.0.0.1",
      String(ports.primaryPort),
    ]);
    nodes.push(replica);
    await waitFor(`the replica on port ${ports.replicaPort} to be in sync`, () => isReplicaOnline(ports.primaryPort), 60_000);
  }
  return topology(kind, `redis://127.0.0.1:${ports.primaryPort}`, [], nodes);
}

type StartedNode = RedisNode & { startedHere: boolean };

/** Starts a node unless one already answers on its port (a previous run's, kept for the next). */
export async function startNode(dir: string, port: number, extraArgs: string[]): Promise<StartedNode> {
  mkdirSync(dir, { recursive: true });
  const url = `redis://127.0.0.1:${port}`;
  const isRunning = await ping(url);
  if (!isRunning) await run(findRedisServer(), [...durableRedisArgs(dir, port), ...extraArgs]);
  await waitFor(`Redis on port ${port}`, () => ping(url), 30_000);
  return { port, dir, pidFile: join(dir, "redis.pid"), startedHere: !isRunning };
}

async function startCluster(ports: RedisPorts): Promise<RedisTopology> {
  const portsOfNodes = Array.from({ length: 6 }, (_, i) => ports.clusterBasePort + i);
  const nodes: StartedNode[] = [];
  for (const port of portsOfNodes) {
    nodes.push(
      // prettier-ignore
      await startNode(join(ports.dir, "redis-cluster", String(port)), port, [
        "--cluster-enabled", "yes",
        "--cluster-config-file", "nodes.conf",
        "--cluster-port", String(port + 100),
        "--cluster-node-timeout", String(CLUSTER_NODE_TIMEOUT_MS),
        ...fencedPrimaryArgs,
      ]),
    );
  }
  const addresses = portsOfNodes.map((port) => `127.0.0.1:${port}`);
  // A cluster created by an earlier run keeps its nodes.conf: its nodes find each other again on start.
  if ((await clusterKnownNodes(portsOfNodes[0]!)) < portsOfNodes.length) {
    await run(which("redis-cli") ?? "redis-cli", ["--cluster", "create", ...addresses, "--cluster-replicas", "1", "--cluster-yes"]);
  }
  await waitFor("the Redis Cluster to be ready (all slots served, every replica in sync)", () => isClusterReady(portsOfNodes), 90_000);
  return topology("cluster", `redis://${addresses[0]}`, addresses, nodes);
}

function topology(kind: RedisTopologyKind, url: string, clusterNodes: string[], nodes: StartedNode[]): RedisTopology {
  return {
    kind,
    url,
    clusterNodes,
    nodes: nodes.map(({ port, dir, pidFile }) => ({ port, dir, pidFile })),
    startedHere: nodes.some((n) => n.startedHere),
    // Replicas first, so a primary never sees its replica vanish and then refuses the last writes for nothing.
    stop: async () => {
      for (const node of [...nodes].filter((n) => n.startedHere).reverse()) await shutdownNode(node.port);
    },
  };
}

/** A short-lived connection to one local node, never retrying (a dead or paused node fails the query). */
export async function withNode<T>(port: number, query: (redis: Redis) => Promise<T>, timeoutMs = 5_000): Promise<T> {
  const redis = new Redis(port, "127.0.0.1", {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    commandTimeout: timeoutMs,
    connectTimeout: timeoutMs,
  });
  redis.on("error", () => {});
  try {
    await redis.connect();
    return await query(redis);
  } finally {
    redis.disconnect();
  }
}

async function ping(url: string): Promise<boolean> {
  const port = Number(new URL(url).port);
  return withNode(port, async (redis) => (await redis.ping()) === "PONG").catch(() => false);
}

async function shutdownNode(port: number): Promise<void> {
  await withNode(port, (redis) => redis.shutdown().catch(() => {})).catch(() => {});
}

const infoField = (info: string, field: string) => new RegExp(`^${field}:(.*)$`, "m").exec(info)?.[1]?.trim();

async function isReplicaOnline(primaryPort: number): Promise<boolean> {
  const info = await withNode(primaryPort, (redis) => redis.info("replication"));
  return /^slave\d+:.*state=online/m.test(info);
}

async function clusterKnownNodes(port: number): Promise<number> {
  return withNode(port, async (redis) => Number(infoField(await redis.cluster("INFO"), "cluster_known_nodes")));
}

async function isClusterOk(port: number): Promise<boolean> {
  return withNode(port, async (redis) => infoField(await redis.cluster("INFO"), "cluster_state") === "ok").catch(() => false);
}

/** Every node sees the cluster ok, and every primary has a replica in sync. */
async function isClusterReady(ports: number[]): Promise<boolean> {
  for (const port of ports) if (!(await isClusterOk(port))) return false;
  const roles = await Promise.all(ports.map((port) => withNode(port, (redis) => redis.info("replication"))));
  const primaries = roles.filter((info) => infoField(info, "role") === "master");
  return primaries.length === 3 && primaries.every((info) => /^slave\d+:.*state=online/m.test(info));
}
