// The browser's way to the JSON API: every back-office action ends in an explicit success or a specific failure.
export type ApiError = { code: string; message: string; issues?: { path: string; message: string }[]; [detail: string]: unknown };
export type ApiResult<T> = { ok: true; data: T } | { ok: false; status: number; error: ApiError };

export async function callApi<T>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
  try {
    const response = await fetch(path, {
      method,
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = response.status === 204 ? null : await response.json().catch(() => null);
    if (response.ok) return { ok: true, data: data as T };
    const error = (data as { error?: ApiError } | null)?.error ?? { code: "UNKNOWN", message: `The server answered ${response.status}.` };
    return { ok: false, status: response.status, error };
  } catch {
    return {
      ok: false,
      status: 0,
      error: { code: "NETWORK", message: "The server could not be reached. Nothing was changed; try again." },
    };
  }
}

/** A readable sentence for a failed call, including the field errors of a 400. */
export function describeError(error: ApiError): string {
  const fields = error.issues?.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
  return fields ? `${error.message} ${fields}` : error.message;
}
