import { createHash } from "node:crypto";
import type { ChainableCommander } from "ioredis";
import type { RedisClient } from "./redis";

/**
 * A Lua script run by its SHA (EVALSHA), loaded on first use or after a Redis restart (NOSCRIPT). Unlike
 * ioredis's defineCommand it adds nothing to the client, so it is safe on shared, auto-pipelined connections.
 */
export class LuaScript<T = unknown> {
  private readonly sha: string;

  constructor(private readonly lua: string) {
    this.sha = createHash("sha1").update(lua).digest("hex");
  }

  async run(redis: RedisClient, keys: readonly string[], args: readonly (string | number)[] = []): Promise<T> {
    try {
      return (await redis.evalsha(this.sha, keys.length, ...keys, ...args)) as T;
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return (await redis.eval(this.lua, keys.length, ...keys, ...args)) as T;
    }
  }

  /** Queues the script on a pipeline: by its SHA, or by its text when the node has lost it (NOSCRIPT before). */
  addTo(pipeline: ChainableCommander, keys: readonly string[], args: readonly (string | number)[], { resend = false } = {}): void {
    if (resend) pipeline.eval(this.lua, keys.length, ...keys, ...args);
    else pipeline.evalsha(this.sha, keys.length, ...keys, ...args);
  }
}
