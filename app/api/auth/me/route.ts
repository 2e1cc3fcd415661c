import { NextResponse } from "next/server";
import { route } from "@/app/lib/handler";
import { requireUser } from "@/app/lib/session";

// GET /api/auth/me
export const GET = route(async () => NextResponse.json({ user: await requireUser() }));
