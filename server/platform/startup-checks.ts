import { getConfig } from "@/server/config";
import { logger } from "./logger";
import { getRedis } from "./redis";
import { assertRedisIsDurable } from "./redis-durability";

/** Called by every process at start: a Redis that could lose an acknowledged bet stops the process. */
export async function exitUnlessRedisIsDurable(): Promise<void> {
  try {
    for (const warning of await assertRedisIsDurable(getRedis(), getConfig())) logger.warn(warning);
  } catch (error) {
    logger.fatal({ err: error }, "refusing to start");
    process.exit(1);
  }
}
