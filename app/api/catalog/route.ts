import { NextResponse } from "next/server";
import { listCatalog } from "@/server/catalog/list-catalog";
import { getDb } from "@/server/platform/db";
import { route } from "@/app/lib/handler";

// GET /api/catalog
export const GET = route(async () => NextResponse.json({ matches: await listCatalog(getDb()) }));
