import { NextResponse } from "next/server";
import { getMatch } from "@/server/catalog/get-match";
import { route } from "@/app/lib/handler";
import { catalogReader } from "@/app/lib/catalog";

// GET /api/matches/:id
export const GET = route<{ id: string }>(async (_request, params) => NextResponse.json(await getMatch(await catalogReader(), params)));
