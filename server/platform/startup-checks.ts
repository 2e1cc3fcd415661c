import { logger } from "./logger";
import { assertRedisIsDurable, getRedis } from "./redis";

/** Called by every process at start: a Redis that could lose an acknowledged bet stops the process. */
export async function exitUnlessRedisIsDurable(): Promise<void> {
  try {
    await assertRedisIsDurable(getRedis());
  } catch (error) {
    logger.fatal({ err: error }, "refusing to start");
    process.exit(1);
  }
}
