import { route } from "@/app/lib/handler";
import { catalogBody } from "@/app/lib/catalog";

// GET /api/catalog
export const GET = route(async () => new Response(await catalogBody(), { headers: { "content-type": "application/json" } }));
