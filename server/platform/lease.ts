import type { Redis } from "ioredis";

const renewScript = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const releaseScript = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

type LeaseRedis = Redis & {
  renewLease(key: string, holder: string, ms: number): Promise<number>;
  releaseLease(key: string, holder: string): Promise<number>;
};

/**
 * A Redis lease: one holder at a time, lost unless renewed within `ttlMs`. The key holds the holder's id (which
 * names its process), so operators and fault tests can see who holds it. A lease alone cannot stop a paused
 * holder from acting late: whoever relies on it must also fence its writes.
 */
export class Lease {
  private readonly redis: LeaseRedis;

  constructor(
    redis: Redis,
    readonly key: string,
    readonly holder: string,
    readonly ttlMs: number,
  ) {
    if (!("renewLease" in redis)) {
      redis.defineCommand("renewLease", { numberOfKeys: 1, lua: renewScript });
      redis.defineCommand("releaseLease", { numberOfKeys: 1, lua: releaseScript });
    }
    this.redis = redis as LeaseRedis;
  }

  /** "acquired" when taken now, "renewed" when already held, "taken" when someone else holds it. */
  async hold(): Promise<"acquired" | "renewed" | "taken"> {
    if ((await this.redis.set(this.key, this.holder, "PX", this.ttlMs, "NX")) === "OK") return "acquired";
    return (await this.redis.renewLease(this.key, this.holder, this.ttlMs)) === 1 ? "renewed" : "taken";
  }

  async release(): Promise<void> {
    await this.redis.releaseLease(this.key, this.holder);
  }
}
