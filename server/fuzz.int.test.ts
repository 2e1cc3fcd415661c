import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requiredEnv, signedIn } from "@/test/support/api-client";
import { fundedBettor } from "@/test/support/betting";
import { connectTestDatabase } from "@/test/support/database";
import { discoverApiRoutes, PLACEHOLDER_ID, type RouteEndpoint } from "@/test/support/routes";
import { snapshotState, waitUntilQuiet } from "@/test/support/state-snapshot";
import { connectTestRedis } from "@/test/support/redis";

// S6 under fuzzing: generated junk (bodies, ids in paths, query strings, content types, sizes) sent to every route,
// with every method it exports, as an anonymous visitor, a bettor and staff, is never answered with a 5xx and
// changes nothing. validation.int.test.ts holds the hand-picked cases and the field errors.

const db = connectTestDatabase();
const redis = connectTestRedis();
afterAll(() => redis.quit());
const baseUrl = requiredEnv("APP_URL");

// Each route method gets RUNS generated requests, each sent once per identity: 34 x 40 x 3 is about 4,100 requests.
const RUNS = 40;

// POST /api/auth/logout is left out: it reads no input, so every request to it is a valid one, and it revokes the
// session it carries (the fuzz's own bettor's and staff's), which must change the sessions table.
const routes = discoverApiRoutes().filter((r) => r.path !== "/api/auth/logout");

type Identity = { name: string; headers: Record<string, string> };
const identities: Identity[] = [];
const statuses = new Map<number, number>();

beforeAll(async () => {
  const bettor = await fundedBettor(10_000);
  const staff = await signedIn("staff@example.com");
  const as = (name: string, ip: string, cookie?: string): Identity => ({
    name,
    headers: { "x-forwarded-for": ip, ...(cookie ? { cookie: `bm_session=${cookie}` } : {}) },
  });
  identities.push(
    as("anonymous", "203.0.113.10"),
    as("bettor", "203.0.113.11", bettor.client.cookie("bm_session")),
    as("staff", "203.0.113.12", staff.cookie("bm_session")),
  );
  await waitUntilQuiet(db, redis);
});

afterAll(() => {
  const sent = [...statuses.values()].reduce((a, b) => a + b, 0);
  const byStatus = [...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}: ${n}`);
  console.log(`fuzz: ${sent} requests to ${routes.length} route methods (${byStatus.join(", ")})`);
});

// ---- values -------------------------------------------------------------------------------------------------

const printable = fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 20 });
const around = (middle: fc.Arbitrary<string>) => fc.tuple(printable, middle, printable).map(([a, m, b]) => a + m + b);
const controlCharacter = fc
  .oneof(fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0x7f, max: 0x9f }))
  .map((c) => String.fromCharCode(c));
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const veryLong = fc.integer({ min: 300, max: 20_000 }).chain((n) => fc.constantFrom("x", "é", "😀", "'").map((c) => c.repeat(n)));
const sqlLooking = fc.constantFrom(
  "' OR '1'='1",
  "1; DROP TABLE bets; --",
  "\\'; select pg_sleep(1); --",
  "$1",
  "%s%s%n",
  "{{7*7}}",
  "<script>alert(1)</script>",
);

/**
 * Values placed under the API's own field names. Numbers are never what a field accepts (zero, negative, fractional,
 * beyond 2^53) and there are no booleans, while every body schema requires a number, a boolean or an email: so
 * every generated body is invalid and the only right answer is a refusal that changes nothing. Strings are hostile
 * too (control characters, lone surrogates, very long), with some valid-looking ones (UUIDs, dates) to get further.
 */
const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  around(controlCharacter),
  around(loneSurrogate),
  veryLong,
  sqlLooking,
  fc.constant(""),
  fc.constant(null),
  fc.uuid(),
  fc.constantFrom(
    "2026-13-45T99:99:99Z",
    "+275760-09-13T00:00:00.000Z",
    "0000-01-01T00:00:00Z",
    "2026-12-01T19:45:00Z",
    "2.5",
    "2.10",
    "1000.01",
    "NaN",
  ),
  fc.integer({ max: 0 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Number.isInteger(x)),
  fc.constantFrom(2 ** 53, 2 ** 63, 1e21, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2),
);

const FIELD_NAMES = [
  "email",
  "password",
  "amount",
  "idempotencyKey",
  "selectionId",
  "stake",
  "odds",
  "acceptOddsChanges",
  "legs",
  "sport",
  "competition",
  "home",
  "draw",
  "away",
  "startsAt",
  "markets",
  "type",
  "line",
  "expectedVersion",
  "winnerSelectionId",
  "void",
  "score",
  "suspended",
  "maxLiability",
  "stakeFactor",
  "days",
  "daily",
  "weekly",
  "monthly",
  "__proto__",
  "constructor",
  "prototype",
];
const fieldName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...FIELD_NAMES) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);
const hostileValue = fc.oneof(
  { weight: 4, arbitrary: hostileScalar },
  { weight: 1, arbitrary: fc.array(hostileScalar, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(fieldName, hostileScalar, { maxKeys: 4 }) },
);
const nearValidObject = fc.dictionary(fieldName, hostileValue, { maxKeys: 8 }).map((o) => JSON.stringify(o));

// Bodies that are not JSON, or JSON of the wrong kind, or too big.
const utf8 = (text: string) => new TextEncoder().encode(text);
const rawText = fc.oneof(
  fc.constantFrom('{"email": "a@b.c",', "{", "[", "1e999", "-", '"\\ud800"', "{'a': 1}", "NaN", "undefined", "\u0000", "\ufeff{}"),
  fc.constantFrom("[".repeat(20_000) + "]".repeat(20_000), '{"a":'.repeat(5_000) + "1" + "}".repeat(5_000)),
  fc.string({ maxLength: 200 }),
);
const OVERSIZE = utf8(JSON.stringify({ email: "a".repeat(70 * 1024) }));
const body: fc.Arbitrary<Uint8Array<ArrayBuffer>> = fc.oneof(
  { weight: 6, arbitrary: nearValidObject.map(utf8) },
  { weight: 3, arbitrary: fc.json({ maxDepth: 4 }).map(utf8) },
  { weight: 2, arbitrary: fc.anything({ maxDepth: 3 }).map((v) => utf8(JSON.stringify(v) ?? "")) },
  { weight: 2, arbitrary: rawText.map(utf8) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) }, // not UTF-8
  { weight: 1, arbitrary: fc.constant(OVERSIZE) },
);
const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant<string | undefined>("application/json") },
  {
    weight: 3,
    arbitrary: fc.constantFrom<string | undefined>(
      undefined,
      "application/json; charset=utf-8",
      "APPLICATION/JSON",
      "text/plain",
      "application/xml",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/json; charset=iso-8859-1",
      "application/jsonp",
      "application/merge-patch+json",
      "*/*",
      "json",
    ),
  },
);

// Paths and queries stay under Node's 16 KB limit for the request head, past which Node itself answers 431 and
// closes the connection, before any code of ours runs.
// Ids in paths: not UUIDs, nearly UUIDs, SQL, bytes that are not UTF-8, very long; or unknown UUIDs (never a real id,
// so a body-less action like suspend finds nothing to act on).
const percentEncodedBytes = fc
  .uint8Array({ minLength: 1, maxLength: 40 })
  .map((bytes) => [...bytes].map((b) => `%${b.toString(16).padStart(2, "0")}`).join(""));
const junkId = fc.oneof(
  fc.constantFrom(
    "not-a-uuid",
    "null",
    "undefined",
    "-1",
    "0",
    "1e309",
    "NaN",
    "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "00000000-0000-4000-8000-00000000000g",
    "{00000000-0000-4000-8000-000000000000}",
    "00000000000040008000000000000000",
    "%00",
    "%2e%2e",
    "%252F",
  ),
  fc.uuid(),
  fc.uuid().map((u) => u.toUpperCase()),
  fc.uuid().map((u) => `${u}x`),
  sqlLooking.map(encodeURIComponent),
  fc.string({ minLength: 1, maxLength: 60 }).map((s) => encodeURIComponent(s.toWellFormed())),
  percentEncodedBytes,
  fc.integer({ min: 100, max: 4_000 }).map((n) => "a".repeat(n)),
);

const cursorLike = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc
    .tuple(
      fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.string(),
      ),
      fc.oneof(fc.uuid(), fc.string()),
    )
    .map(([at, id]) => Buffer.from(`${at}|${id}`).toString("base64url")),
);
const queryValue = fc.oneof(
  fc.constantFrom("-1", "0", "201", "1e3", "1.5", "NaN", "Infinity", "0x10", " 5", "", "ACCEPTED", "accepted", "WON,LOST", "true"),
  fc.integer().map(String),
  fc.string({ maxLength: 100 }),
  fc.integer({ min: 300, max: 1_500 }).map((n) => "x".repeat(n)),
  sqlLooking,
  cursorLike,
);
const queryKey = fc.oneof(
  fc.constantFrom("limit", "cursor", "status", "action", "entityId", "email", "id", "__proto__"),
  fc.string({ maxLength: 10 }),
);
const query = fc.oneof(
  fc
    .array(fc.tuple(queryKey, queryValue), { maxLength: 5 })
    .map((pairs) => (pairs.length ? `?${new URLSearchParams(pairs.map(([k, v]) => [k.toWellFormed(), v.toWellFormed()]))}` : "")),
  fc.constantFrom("?limit=%", "?cursor=%80", "?status=%E0%A4%A", "?limit=1&limit=2", "?=&&=", "?limit[]=1", "?cursor=%00"),
);

type JunkRequest = { path: string; body?: { bytes: Uint8Array<ArrayBuffer>; contentType?: string; isChunked: boolean } };

function junkRequest(route: RouteEndpoint): fc.Arbitrary<JunkRequest> {
  const path = route.path.includes(PLACEHOLDER_ID) ? junkId.map((id) => route.path.replace(PLACEHOLDER_ID, id)) : fc.constant(route.path);
  const bodies =
    route.method === "GET"
      ? fc.constant(undefined)
      : fc.option(fc.record({ bytes: body, contentType, isChunked: fc.boolean() }), { freq: 8 });
  return fc.record({ path: fc.tuple(path, query).map(([p, q]) => p + q), body: bodies }).map(({ path, body }) => ({
    path,
    ...(body ? { body } : {}),
    // A counterexample as a reader wants it: the path and the start of the body, not thousands of byte values.
    [fc.toStringMethod]: () => `${path.slice(0, 300)}${body ? ` ${describeBody(body)}` : ""}`,
  }));
}

function describeBody({ bytes, contentType, isChunked }: NonNullable<JunkRequest["body"]>) {
  return `[${contentType ?? "no type"}${isChunked ? ", chunked" : ""}, ${bytes.byteLength} bytes] ${JSON.stringify(new TextDecoder().decode(bytes.slice(0, 200)))}`;
}

// ---- sending ------------------------------------------------------------------------------------------------

async function send(method: string, identity: Identity, request: JunkRequest) {
  const headers = { ...identity.headers };
  let requestBody: BodyInit | undefined;
  if (request.body) {
    const { bytes, contentType: type, isChunked } = request.body;
    if (type) headers["content-type"] = type;
    // A stream has no length up front, so fetch sends it chunked: the server must stop reading at its limit.
    requestBody = isChunked
      ? new ReadableStream({
          start(controller) {
            controller.enqueue(bytes);
            controller.close();
          },
        })
      : bytes;
  }
  const response = await fetch(baseUrl + request.path, {
    method,
    headers,
    body: requestBody,
    duplex: "half",
    redirect: "manual",
    signal: AbortSignal.timeout(30_000),
  } as RequestInit);
  statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
  // The odds stream never ends: its status and headers are the answer.
  if (response.headers.get("content-type")?.startsWith("text/event-stream")) {
    await response.body?.cancel();
    return { status: response.status, text: "" };
  }
  return { status: response.status, text: await response.text() };
}

function describeRequest(method: string, identity: Identity, request: JunkRequest, response: { status: number; text: string }) {
  return `${identity.name}: ${method} ${request.path.slice(0, 300)}${request.body ? ` ${describeBody(request.body)}` : ""} -> ${response.status} ${response.text.slice(0, 300)}`;
}

describe("fuzz: junk to every route, as anyone, never a 5xx and never a change (S6)", () => {
  for (const route of routes) {
    it(`${route.method} ${route.path}`, async () => {
      const before = await snapshotState(db, redis);
      await fc.assert(
        fc.asyncProperty(junkRequest(route), async (request) => {
          for (const identity of identities) {
            const response = await send(route.method, identity, request);
            const context = describeRequest(route.method, identity, request, response);
            expect(response.status, context).toBeLessThan(500);
            if (response.status >= 400 && response.text.startsWith("{"))
              expect(JSON.parse(response.text).error.code, context).toEqual(expect.any(String));
          }
        }),
        { numRuns: RUNS },
      );
      expect(await snapshotState(db, redis)).toEqual(before);
    });
  }
});
