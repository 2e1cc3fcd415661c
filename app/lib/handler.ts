import { NextResponse, type NextRequest } from "next/server";
import { isCrossSiteRequest } from "@/server/auth/csrf";
import { getConfig } from "@/server/config";
import { AppError, validationError } from "@/server/errors";
import { logger } from "@/server/platform/logger";

type Handler<P> = (request: NextRequest, params: P) => Promise<Response>;

/** The largest body a route reads (API.md "Operations"). */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * Wraps every route handler: refuses cross-site state changes (403 CSRF) and bodies that are not JSON (415) or
 * too large (413) before reading them, and turns any thrown error into the API.md error body. AppErrors keep their
 * code; anything else is logged and answered as a 500 without details. Responses are `no-store` unless the route
 * set its own Cache-Control: most answers depend on the session.
 */
export function route<P = Record<string, never>>(handler: Handler<P>) {
  return async (request: NextRequest, context: { params: Promise<P> }): Promise<Response> => {
    let response: Response;
    try {
      if (isCrossSiteRequest(request.method, request.headers, getConfig().ALLOWED_ORIGINS)) {
        throw new AppError("CSRF", "Cross-site requests may not change state.");
      }
      refuseBodyByHeaders(request.headers);
      response = await handler(request, await context.params);
    } catch (error) {
      response = errorResponse(error, request);
    }
    if (!response.headers.has("cache-control")) response.headers.set("cache-control", "no-store");
    return response;
  };
}

/**
 * A body must be JSON in UTF-8 and at most MAX_BODY_BYTES, judged from the headers before a byte is read. A request
 * without a body (no Content-Length or 0, not chunked) passes whatever its Content-Type, so body-less POSTs work.
 * A chunked body has no length up front: readJson stops reading at the limit.
 */
function refuseBodyByHeaders(headers: Headers): void {
  const length = headers.get("content-length");
  const hasBody = (length !== null && length.trim() !== "0") || headers.has("transfer-encoding");
  if (!hasBody) return;
  if (length !== null && Number(length) > MAX_BODY_BYTES) throw payloadTooLarge();
  if (!isJsonInUtf8(headers.get("content-type"))) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the body as JSON, with Content-Type: application/json.");
  }
}

/** `application/json`, with no charset or UTF-8 (RFC 8259: JSON between systems is UTF-8). */
function isJsonInUtf8(contentType: string | null): boolean {
  const [mediaType = "", ...parameters] = (contentType ?? "").split(";");
  if (mediaType.trim().toLowerCase() !== "application/json") return false;
  return parameters.every((parameter) => {
    const [name = "", value = ""] = parameter.split("=");
    return name.trim().toLowerCase() !== "charset" || /^"?utf-8"?$/i.test(value.trim());
  });
}

const payloadTooLarge = () => new AppError("PAYLOAD_TOO_LARGE", `The body may be at most ${MAX_BODY_BYTES / 1024} KB.`);

function errorResponse(error: unknown, request: NextRequest): Response {
  if (error instanceof AppError) {
    const headers = new Headers();
    const retryAfter = error.details.retryAfterSeconds;
    if (typeof retryAfter === "number") headers.set("Retry-After", String(retryAfter));
    return NextResponse.json(error.toBody(), { status: error.status, headers });
  }
  logger.error({ err: error, method: request.method, path: request.nextUrl.pathname }, "unhandled error in route");
  return NextResponse.json({ error: { code: "INTERNAL", message: "Something went wrong on our side." } }, { status: 500 });
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The JSON body, or a 400 VALIDATION_FAILED when it is missing, not UTF-8 or not JSON; 413 as soon as more than
 * MAX_BODY_BYTES have arrived (a chunked body announces no length), keeping nothing more in memory.
 */
export async function readJson(request: NextRequest): Promise<unknown> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  for (let read = await reader?.read(); read && !read.done; read = await reader!.read()) {
    size += read.value.byteLength;
    if (size > MAX_BODY_BYTES) {
      void discardRest(reader!);
      throw payloadTooLarge();
    }
    chunks.push(read.value);
  }
  try {
    return JSON.parse(utf8.decode(Buffer.concat(chunks))) as unknown;
  } catch {
    throw validationError([{ path: "", message: "The body must be valid JSON." }]);
  }
}

/**
 * Reads what the client is still sending and drops it. Cancelling instead would reset the connection, and a client
 * that is still writing would see the reset rather than the 413 (the reason for nginx's "lingering close"); Node's
 * request timeout bounds how long a client may keep sending.
 */
async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  try {
    while (!(await reader.read()).done);
  } catch {
    // the client went away
  }
}
