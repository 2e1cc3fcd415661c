import { NextResponse } from "next/server";
import { getOpenApiDocument } from "@/server/openapi/document";
import { route } from "@/app/lib/handler";

// GET /api/openapi.json: the same for everyone and changed only by a deploy, so shared caches may keep it a while.
export const GET = route(async () => NextResponse.json(getOpenApiDocument(), { headers: { "cache-control": "public, max-age=300" } }));
