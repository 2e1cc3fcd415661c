import { NextResponse } from "next/server";
import { webDeps } from "@/server/deps";
import { checkHealth } from "@/server/health/check-health";
import { route } from "@/app/lib/handler";

// GET /api/health
export const GET = route(async () => {
  const health = await checkHealth(webDeps());
  const down = Object.entries(health)
    .filter(([, status]) => status === "down")
    .map(([name]) => name);
  if (down.length === 0) return NextResponse.json(health);
  return NextResponse.json({ ...health, error: { code: "UNAVAILABLE", message: `Down: ${down.join(", ")}.`, down } }, { status: 503 });
});
