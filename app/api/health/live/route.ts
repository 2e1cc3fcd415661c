import { NextResponse } from "next/server";
import { route } from "@/app/lib/handler";

// GET /api/health/live: liveness only (the process answers), touching neither PostgreSQL nor Redis. It is also
// the no-op baseline the benchmarks compare real routes against.
export const GET = route(async () => NextResponse.json({ status: "ok" }));
