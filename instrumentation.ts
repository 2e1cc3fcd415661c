// Runs once when a web instance starts: refuse a Redis that could lose an acknowledged bet.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getRedis, assertRedisIsDurable } = await import("@/server/platform/redis");
  const { logger } = await import("@/server/platform/logger");
  try {
    await assertRedisIsDurable(getRedis());
  } catch (error) {
    logger.fatal({ err: error }, "web instance refused to start");
    process.exit(1);
  }
}
