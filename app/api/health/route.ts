import { NextResponse } from "next/server";
import { checkHealth } from "@/server/health/check-health";
import { getDb } from "@/server/platform/db";
import { getRedis } from "@/server/platform/redis";
import { route } from "@/app/lib/handler";

// GET /api/health
export const GET = route(async () => {
  const health = await checkHealth(getDb(), getRedis());
  const down = Object.entries(health)
    .filter(([, status]) => status === "down")
    .map(([name]) => name);
  if (down.length === 0) return NextResponse.json(health);
  return NextResponse.json(
    { ...health, error: { code: "UNAVAILABLE", message: `Down: ${down.join(", ")}.`, down } },
    { status: 503 },
  );
});
