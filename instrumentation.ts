// Runs once when a web instance starts: refuse a Redis that could lose an acknowledged bet.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { exitUnlessRedisIsDurable } = await import("@/server/platform/startup-checks");
    await exitUnlessRedisIsDurable();
  }
}
