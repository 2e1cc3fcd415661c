import type { RedisClient } from "./redis";
import { LuaScript } from "./lua-script";

const renew = new LuaScript<number>(
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`,
);
const release = new LuaScript<number>(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`);

/**
 * A Redis lease: one holder at a time, lost unless renewed within `ttlMs`. The key holds the holder's id (which
 * names its process), so operators and fault tests can see who holds it. A lease alone cannot stop a paused
 * holder from acting late: whoever relies on it must also fence its writes.
 */
export class Lease {
  constructor(
    private readonly redis: RedisClient,
    readonly key: string,
    readonly holder: string,
    readonly ttlMs: number,
  ) {}

  /** "acquired" when taken now, "renewed" when already held, "taken" when someone else holds it. */
  async hold(): Promise<"acquired" | "renewed" | "taken"> {
    if ((await this.redis.set(this.key, this.holder, "PX", this.ttlMs, "NX")) === "OK") return "acquired";
    return (await renew.run(this.redis, [this.key], [this.holder, this.ttlMs])) === 1 ? "renewed" : "taken";
  }

  async release(): Promise<void> {
    await release.run(this.redis, [this.key], [this.holder]);
  }
}
