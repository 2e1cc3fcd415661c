import { randomBytes, randomInt } from "node:crypto";
import { request as httpRequest } from "node:http";

export type ApiResponse<T = any> = { status: number; body: T; headers: Headers };

/** A JSON client for the running web instance with its own cookie jar and its own (forwarded) client address. */
export class ApiClient {
  private readonly cookies = new Map<string, string>();

  constructor(
    readonly baseUrl = requiredEnv("APP_URL"),
    readonly ip = `198.51.${randomInt(0, 255)}.${randomInt(1, 255)}`,
  ) {}

  async request<T = any>(
    method: string,
    path: string,
    options: { json?: unknown; body?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { "x-forwarded-for": this.ip, ...options.headers };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    let body = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers["content-type"] = "application/json";
    }
    const response = await fetch(this.baseUrl + path, { method, headers, body, redirect: "manual" });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = cookie.split(";");
      const [name = "", value = ""] = pair.split("=");
      const isExpired = value === "" || attributes.some((a) => /max-age=0|expires=thu, 01 jan 1970/i.test(a.trim()));
      if (isExpired) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (a page): keep the text
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  get = <T = any>(path: string, headers?: Record<string, string>) => this.request<T>("GET", path, { headers });
  post = <T = any>(path: string, json?: unknown, headers?: Record<string, string>) => this.request<T>("POST", path, { json, headers });
  patch = <T = any>(path: string, json?: unknown) => this.request<T>("PATCH", path, { json });

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }
}

/**
 * A JSON POST sent from a local address of the caller's choosing (Linux routes all of 127.0.0.0/8 to loopback), so
 * the server sees that socket address: what ApiClient's forwarded address cannot show.
 */
export function postFrom(localAddress: string, url: string, json: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(json);
    const req = httpRequest(url, { method: "POST", localAddress, headers: { "content-type": "application/json", ...headers } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => {
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) responseHeaders.set(name, String(value));
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null, headers: responseHeaders });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** A loopback address of its own for a test, other than the 127.0.0.1 every other client shares. */
export const uniqueLoopbackAddress = () => `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run integration tests through "npm test" (or "npm test -- integration").`);
  return value;
}

export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${randomBytes(6).toString("hex")}@example.test`;
}

export const DEMO_PASSWORD = "password123";

/** Registers a fresh bettor and returns a client signed in as them. */
export async function newBettor(): Promise<{ client: ApiClient; email: string; id: string }> {
  const client = new ApiClient();
  const email = uniqueEmail("bettor");
  const res = await client.post("/api/auth/register", { email, password: DEMO_PASSWORD });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { client, email, id: res.body.user.id };
}

export async function signedIn(email: string, password = DEMO_PASSWORD): Promise<ApiClient> {
  const client = new ApiClient();
  const res = await client.post("/api/auth/login", { email, password });
  if (res.status !== 200) throw new Error(`login as ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return client;
}
