import type { BettingMessage, MatchMessage } from "@/server/catalog/root-messages";
import { route } from "@/app/lib/handler";
import { catalog } from "@/app/lib/catalog";

// Server-Sent Events: one `data:` event per change, {type: "match", matchId, version, match} or
// {type: "betting", suspended, version}. Comments every 15 s keep proxies from closing an idle stream.
export const dynamic = "force-dynamic";

// GET /api/odds/stream
export const GET = route(async (request) => {
  const { subscriber } = await catalog();
  const encoder = new TextEncoder();
  let stop = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop(); // the client went away between two events
        }
      };
      const onMatch = ({ matchId, version, match }: MatchMessage) => write(`data: ${JSON.stringify({ type: "match", matchId, version, match })}\n\n`);
      const onBetting = ({ suspended, version }: BettingMessage) => write(`data: ${JSON.stringify({ type: "betting", suspended, version })}\n\n`);
      subscriber.on("match", onMatch);
      subscriber.on("betting", onBetting);
      const keepAlive = setInterval(() => write(": keep-alive\n\n"), 15_000);
      stop = () => {
        subscriber.off("match", onMatch);
        subscriber.off("betting", onBetting);
        clearInterval(keepAlive);
      };
      request.signal.addEventListener("abort", () => {
        stop();
        try {
          controller.close();
        } catch {
          // already closed
        }
      });
      write("retry: 2000\n\n");
    },
    cancel() {
      stop();
    },
  });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" },
  });
});
