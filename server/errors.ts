/**
 * The one error type of the domain. Codes are the ones of API.md; this table maps them to HTTP, in one place.
 */
export const errorStatus = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  BAD_CREDENTIALS: 401,
  FORBIDDEN: 403,
  CSRF: 403,
  ACCOUNT_EXCLUDED: 403,
  NOT_FOUND: 404,
  EMAIL_TAKEN: 409,
  VERSION_CONFLICT: 409,
  INVALID_STATE: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  ODDS_CHANGED: 409,
  MARKET_SUSPENDED: 409,
  MATCH_CLOSED: 409,
  BETTING_SUSPENDED: 409,
  MATCH_INCOMPLETE: 409,
  NO_RESULT: 409,
  CASH_OUT_CHANGED: 409,
  CASH_OUT_UNAVAILABLE: 409,
  BETS_QUARANTINED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INSUFFICIENT_FUNDS: 422,
  STAKE_TOO_LOW: 422,
  STAKE_TOO_HIGH: 422,
  DEPOSIT_LIMIT_EXCEEDED: 422,
  LIABILITY_LIMIT: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export type ValidationIssue = { path: string; message: string };

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return errorStatus[this.code];
  }

  toBody() {
    return { error: { code: this.code, message: this.message, ...this.details } };
  }
}

export function validationError(issues: ValidationIssue[]): AppError {
  return new AppError("VALIDATION_FAILED", "The request is not valid.", { issues });
}

/** Postgres error codes worth recognising; see https://www.postgresql.org/docs/current/errcodes-appendix.html */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = findPgError(error);
  return e?.code === "23505" && (constraint === undefined || e.constraint_name === constraint);
}

export function findPgError(error: unknown): { code?: string; constraint_name?: string; message?: string } | undefined {
  // drizzle wraps driver errors in DrizzleQueryError with the original as `cause`.
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    if ("code" in e && typeof (e as { code: unknown }).code === "string") return e as { code: string };
  }
  return undefined;
}
