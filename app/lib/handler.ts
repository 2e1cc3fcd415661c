import { NextResponse, type NextRequest } from "next/server";
import { isCrossSiteRequest } from "@/server/auth/csrf";
import { getConfig } from "@/server/config";
import { AppError, validationError } from "@/server/errors";
import { logger } from "@/server/platform/logger";

type Handler<P> = (request: NextRequest, params: P) => Promise<Response>;

/**
 * Wraps every route handler: refuses cross-site state changes (403 CSRF), and turns any thrown error into the
 * API.md error body. AppErrors keep their code; anything else is logged and answered as a 500 without details.
 */
export function route<P = Record<string, never>>(handler: Handler<P>) {
  return async (request: NextRequest, context: { params: Promise<P> }): Promise<Response> => {
    try {
      if (isCrossSiteRequest(request.method, request.headers, getConfig().ALLOWED_ORIGINS)) {
        throw new AppError("CSRF", "Cross-site requests may not change state.");
      }
      return await handler(request, await context.params);
    } catch (error) {
      return errorResponse(error, request);
    }
  };
}

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

/** The JSON body, or a 400 VALIDATION_FAILED when it is missing or not JSON. */
export async function readJson(request: NextRequest): Promise<unknown> {
  const text = await request.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw validationError([{ path: "", message: "The body must be valid JSON." }]);
  }
}
