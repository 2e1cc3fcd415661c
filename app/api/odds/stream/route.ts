import { route } from "@/app/lib/handler";
import { catalog } from "@/app/lib/catalog";
import { oddsStreamResponse } from "@/app/lib/odds-stream";
import { getBettingState } from "@/server/catalog/betting-switch";
import { webDeps } from "@/server/deps";

// Server-Sent Events, one event per catalog change (app/lib/odds-stream.ts), from the instance's subscription.
export const dynamic = "force-dynamic";

// GET /api/odds/stream
export const GET = route(async (request) =>
  oddsStreamResponse((await catalog()).subscriber, request.signal, () => getBettingState(webDeps().db)),
);
