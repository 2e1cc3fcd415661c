import { NextResponse } from "next/server";
import { route } from "@/app/lib/handler";
import { listCatalogMatches } from "@/app/lib/catalog";

// GET /api/catalog
export const GET = route(async () => NextResponse.json({ matches: await listCatalogMatches() }));
