import { route } from "@/app/lib/handler";
import { catalogReader } from "@/app/lib/catalog";

// GET /api/catalog
export const GET = route(
  async () => new Response(await (await catalogReader()).catalogBody(), { headers: { "content-type": "application/json" } }),
);
