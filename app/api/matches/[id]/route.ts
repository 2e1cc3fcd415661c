import { NextResponse } from "next/server";
import { getMatch } from "@/server/catalog/get-match";
import { getDb } from "@/server/platform/db";
import { route } from "@/app/lib/handler";

// GET /api/matches/:id
export const GET = route<{ id: string }>(async (_request, { id }) => NextResponse.json(await getMatch(getDb(), id)));
