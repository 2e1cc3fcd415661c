import type { RootSubscriber } from "@/server/catalog/root-subscriber";
import type { BettingMessage, MatchMessage } from "@/server/catalog/root-messages";

const KEEP_ALIVE_MS = 15_000;

type BettingState = Pick<BettingMessage, "suspended" | "version">;

const bettingEvent = ({ suspended, version }: BettingState) => `data: ${JSON.stringify({ type: "betting", suspended, version })}\n\n`;

/**
 * GET /api/odds/stream's answer, Server-Sent Events: one `data:` event per change the subscriber re-emits,
 * {type: "match", matchId, version, match} or {type: "betting", suspended, version}. The first event is the kill
 * switch as it stands, so a browser that (re)connects learns it before acting, whatever it missed meanwhile.
 * Comments every 15 s keep proxies from closing an idle stream; the listeners go when the client aborts or the
 * stream is cancelled.
 */
export function oddsStreamResponse(subscriber: RootSubscriber, signal: AbortSignal, readBetting: () => Promise<BettingState>): Response {
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
      const onMatch = ({ matchId, version, match }: MatchMessage) =>
        write(`data: ${JSON.stringify({ type: "match", matchId, version, match })}\n\n`);
      const onBetting = (message: BettingMessage) => write(bettingEvent(message));
      subscriber.on("match", onMatch);
      subscriber.on("betting", onBetting);
      const keepAlive = setInterval(() => write(": keep-alive\n\n"), KEEP_ALIVE_MS);
      stop = () => {
        subscriber.off("match", onMatch);
        subscriber.off("betting", onBetting);
        clearInterval(keepAlive);
      };
      const close = () => {
        stop();
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      signal.addEventListener("abort", close);
      write("retry: 2000\n\n");
      // Read once the listeners are on: a switch flipped meanwhile comes as an event too, and the browser keeps
      // whichever of the two has the higher version. A failed read ends the stream; the browser reconnects.
      readBetting().then((state) => write(bettingEvent(state)), close);
    },
    cancel() {
      stop();
    },
  });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" },
  });
}
