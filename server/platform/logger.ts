import pino from "pino";

// JSON lines on stdout: one structured record per event, shipped as-is by any log collector.
export const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: process.env.SERVICE_NAME ?? "bookmaker", pid: process.pid },
  timestamp: pino.stdTimeFunctions.isoTime,
  redact: { paths: ["password", "*.password", "passwordHash", "*.passwordHash", "token", "*.token"], remove: true },
});

export type Logger = typeof logger;
