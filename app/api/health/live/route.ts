import { NextResponse } from "next/server";
import { route } from "@/app/lib/handler";

// GET /api/health/live: liveness only (the process answers), touching neither PostgreSQL nor Redis. It is also
// the no-op baseline the benchmarks compare real routes against.
export const GET = route(async () => NextResponse.json({ status: "ok" }));

// POST /api/health/live: 204 and nothing else, through the same wrapper (CSRF check, error body) as every
// state-changing route: the no-op baseline of `npm run bench:bets` for POST /api/bets. It reads no body and
// changes nothing.
export const POST = route(async () => new NextResponse(null, { status: 204 }));
