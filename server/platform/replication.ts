import { once } from "node:events";
import { Cluster, Redis } from "ioredis";
import type { Config } from "@/server/config";
import type { LuaScript } from "./lua-script";
import type { RedisClient } from "./redis";

export type ReplicationPolicy = {
  /** Replicas that must hold a write before it is acknowledged (REDIS_REPLICAS_REQUIRED; 0 only when unsafe). */
  replicas: number;
  /** How long WAIT may block; past it the outcome is unknown to the caller (503, retry with the same key). */
  timeoutMs: number;
};

export type ReplicatedReply<T> = { reply: T; replicated: boolean };

type Call = {
  script: LuaScript<unknown>;
  keys: readonly string[];
  args: readonly (string | number)[];
  resend: boolean;
  redirects: number;
  resolve: (result: ReplicatedReply<unknown>) => void;
  reject: (error: unknown) => void;
};

/**
 * Runs the scripts whose success Redis alone vouches for (bet acceptance, I10) and tells, with each reply, whether
 * `policy.replicas` replicas hold its writes: WAIT after the script, on the same connection (WAIT is refused inside
 * a script on Redis 7.0). A replica running `appendfsync always` acknowledges an offset only after its own fsync,
 * so WAIT returning the count means two disks.
 *
 * WAIT blocks its connection, so the scripts and their WAITs go on a connection of their own (a duplicate of
 * `redis`, closed with it): the reads the same process sends meanwhile (a session lookup, the catalog) never queue
 * behind a WAIT. Calls are grouped per lane: while one group's WAIT is out, the next calls queue, then go together
 * as one pipeline of scripts ending with one WAIT (group commit). On one primary there is one lane, since every
 * WAIT on the connection blocks every later call anyway; on a Cluster a lane is a hash tag (one slot, so one node).
 * Under load a group holds many calls for one round trip.
 */
export class ReplicatedScripts {
  private readonly lanes = new Map<string, { queue: Call[]; isBusy: boolean }>();
  private readonly redis: RedisClient;

  constructor(
    redis: RedisClient,
    private readonly policy: ReplicationPolicy,
    private readonly options: { isGrouped: boolean } = { isGrouped: true },
  ) {
    this.redis = redis.duplicate();
    this.redis.on("error", () => {}); // reported where a call fails, and by `redis`'s own listeners
    redis.once("end", () => this.redis.disconnect());
  }

  run<T>(tag: string, script: LuaScript<T>, keys: readonly string[], args: readonly (string | number)[]): Promise<ReplicatedReply<T>> {
    const lane = this.redis instanceof Cluster ? tag : "";
    return new Promise<ReplicatedReply<unknown>>((resolve, reject) => {
      const state = this.lanes.get(lane) ?? { queue: [], isBusy: false };
      this.lanes.set(lane, state);
      state.queue.push({ script: script as LuaScript<unknown>, keys, args, resend: false, redirects: 0, resolve, reject });
      if (!state.isBusy) void this.drain(lane, state);
    }) as Promise<ReplicatedReply<T>>;
  }

  /** Sends the lane's queue group after group, one group in flight at a time, until it is empty. */
  private async drain(lane: string, state: { queue: Call[]; isBusy: boolean }): Promise<void> {
    state.isBusy = true;
    while (state.queue.length > 0) {
      if (await this.sendGroup(state.queue.splice(0, this.options.isGrouped ? state.queue.length : 1), state.queue)) {
        // The slot moved (a failover): learn the new map before sending the group again.
        const cluster = this.redis;
        if (cluster instanceof Cluster) {
          await withDeadline(new Promise<void>((resolve) => cluster.refreshSlotsCache(() => resolve())), LATE_ANSWER_MS).catch(() => {});
        }
        await new Promise((resolve) => setTimeout(resolve, REDIRECT_PAUSE_MS));
      }
    }
    state.isBusy = false;
    this.lanes.delete(lane);
  }

  /** Returns whether a call was redirected (sent back to the queue). */
  private async sendGroup(group: Call[], queue: Call[]): Promise<boolean> {
    let isRedirected = false;
    try {
      const pipeline = this.redis.pipeline();
      for (const call of group) call.script.addTo(pipeline, call.keys, call.args, { resend: call.resend });
      if (this.policy.replicas > 0) pipeline.wait(this.policy.replicas, this.policy.timeoutMs);
      // A node that died with the group in flight may leave it unanswered for long: past the deadline the outcome
      // is unknown to the callers (a 503 for a bet, retried with its key), and the lane moves on.
      const results = (await withDeadline(pipeline.exec(), this.policy.timeoutMs + LATE_ANSWER_MS)) ?? [];
      const acks = this.policy.replicas > 0 ? Number(results[group.length]?.[1] ?? 0) : 0;
      const replicated = acks >= this.policy.replicas;
      group.forEach((call, i) => {
        const [error, reply] = results[i] ?? [new Error("no reply from Redis")];
        // The node lost its scripts (a restart, a failover): nothing ran, so sending the text is safe.
        if (error && !call.resend && error.message.startsWith("NOSCRIPT")) queue.push({ ...call, resend: true });
        // The node did not run it (the slot is elsewhere now, or the cluster is failing over): send it again.
        else if (error && REDIRECTIONS.test(error.message) && call.redirects < MAX_REDIRECTS) {
          queue.push({ ...call, redirects: call.redirects + 1 });
          isRedirected = true;
        } else if (error) call.reject(error);
        else call.resolve({ reply, replicated });
      });
    } catch (error) {
      group.forEach((call) => call.reject(error));
    }
    return isRedirected;
  }
}

const REDIRECTIONS = /^(MOVED|ASK|TRYAGAIN|CLUSTERDOWN) /;
const MAX_REDIRECTS = 5;
const REDIRECT_PAUSE_MS = 100;

// How much longer than WAIT's own timeout a group may take (network, a failover's redirections) before giving up.
const LATE_ANSWER_MS = 4_000;

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * The connections to every primary (a Cluster knows its nodes once it has read the slot map). WAIT covers only the
 * writes its own connection sent to its own node.
 */
export async function primaryConnections(redis: RedisClient): Promise<Redis[]> {
  if (redis instanceof Redis) return [redis];
  if (redis.status !== "ready") await once(redis, "ready");
  return redis.nodes("master");
}

/**
 * Waits until the replicas hold every write this client sent so far, on every primary. For steps that act on
 * Redis and then record elsewhere that they did (the outbox relay marks an event published): a failover must not
 * lose what the record says was done. Returns false on a timeout.
 */
export async function waitForReplicas(redis: RedisClient, policy: ReplicationPolicy): Promise<boolean> {
  if (policy.replicas === 0) return true;
  const acks = await Promise.all((await primaryConnections(redis)).map((node) => node.wait(policy.replicas, policy.timeoutMs)));
  return acks.every((n) => n >= policy.replicas);
}

type ReplicaAddress = { host: string; port: number; priority?: number };

/** The replicas a primary streams to, as INFO replication lists them ("slave0:ip=...,port=...,state=online,..."). */
async function replicasOf(primary: Redis): Promise<ReplicaAddress[]> {
  const info = await primary.info("replication");
  return [...info.matchAll(/^slave\d+:(.*)$/gm)].map(([, fields]) => {
    const field = (name: string) => new RegExp(`(?:^|,)${name}=([^,]*)`).exec(fields!)?.[1]?.trim() ?? "";
    return { host: field("ip"), port: Number(field("port")) };
  });
}

// What a replica must run with for WAIT to mean "on its disk": it acknowledges only what it has fsynced.
const replicaSettings = [
  { name: "appendonly", expected: "yes" },
  { name: "appendfsync", expected: "always" },
  { name: "no-appendfsync-on-rewrite", expected: "no" },
] as const;

/**
 * One sentence per problem with the replicas behind `redis` (every primary of a Cluster): a replica that does not
 * fsync every write, or more replicas that a failover may promote than WAIT counts (a promoted replica that had not
 * acknowledged would lose bets), or fewer replicas connected than required (bets are refused until one returns).
 * `blocking` problems stop a process at start; the others are warnings.
 */
export async function findReplicationProblems(redis: RedisClient, required: number): Promise<{ blocking: string[]; warnings: string[] }> {
  const blocking: string[] = [];
  const warnings: string[] = [];
  for (const primary of await primaryConnections(redis)) {
    const where = `${primary.options.host}:${primary.options.port}`;
    const replicas = await replicasOf(primary);
    let promotable = 0;
    for (const address of replicas) {
      const replica = new Redis(address.port, address.host, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        password: primary.options.password,
        username: primary.options.username,
      });
      replica.on("error", () => {});
      try {
        await replica.connect();
        for (const { name, expected } of replicaSettings) {
          const [, actual] = (await replica.config("GET", name)) as string[];
          if (actual !== expected)
            blocking.push(
              `replica ${address.host}:${address.port} of ${where} has "${name}" = "${actual ?? "unset"}" but must have "${expected}"`,
            );
        }
        // Sentinel never promotes priority 0; a Cluster never fails over to a replica with no-failover set.
        const [, priority] = (await replica.config("GET", "replica-priority")) as string[];
        const [, noFailover] = (await replica.config("GET", "cluster-replica-no-failover")) as string[];
        if (priority !== "0" && noFailover !== "yes") promotable += 1;
      } catch (error) {
        warnings.push(`cannot check replica ${address.host}:${address.port} of ${where} (${(error as Error).message})`);
      } finally {
        replica.disconnect();
      }
    }
    if (promotable > required) {
      blocking.push(
        `${where} has ${promotable} replicas a failover may promote but REDIS_REPLICAS_REQUIRED is ${required}: raise it, or give the others replica-priority 0 (cluster-replica-no-failover yes on a Cluster)`,
      );
    }
    if (replicas.length < required)
      warnings.push(`${where} has ${replicas.length} replicas connected, ${required} required: bets are refused (503) until one returns`);
  }
  return { blocking, warnings };
}

type ReplicationConfig = Pick<Config, "REDIS_REPLICAS_REQUIRED" | "REDIS_REPLICATION_TIMEOUT_MS">;

export const replicationPolicy = (config: ReplicationConfig): ReplicationPolicy => ({
  replicas: config.REDIS_REPLICAS_REQUIRED,
  timeoutMs: config.REDIS_REPLICATION_TIMEOUT_MS,
});

// One group committer per connection: its lanes must see every call that connection carries.
const scriptsByConnection = new WeakMap<RedisClient, ReplicatedScripts>();

/** `isGrouped: false` (benchmarks only) sends each call alone, [script, WAIT]; it applies to the connection's first call. */
export function replicatedScripts(redis: RedisClient, config: ReplicationConfig, options?: { isGrouped: boolean }): ReplicatedScripts {
  let scripts = scriptsByConnection.get(redis);
  if (!scripts) scriptsByConnection.set(redis, (scripts = new ReplicatedScripts(redis, replicationPolicy(config), options)));
  return scripts;
}
