import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { auditLog } from "@/drizzle/schema";
import type { ApiResponse } from "@/test/support/api-client";
import { staffClient } from "@/test/support/betting";
import { connectTestDatabase } from "@/test/support/database";

const db = connectTestDatabase();

/** Audit rows of an action of this test's own, oldest first, spread over two entities. */
async function auditRows(count: number) {
  const action = `test.audit-${randomBytes(4).toString("hex")}`;
  const entities = [randomUUID(), randomUUID()];
  const rows = await db
    .insert(auditLog)
    .values(Array.from({ length: count }, (_, i) => ({ action, entityType: "test", entityId: entities[i % 2]!, after: { i } })))
    .returning({ id: auditLog.id });
  return { action, entities, ids: rows.map((r) => String(r.id)) };
}

async function allPages(path: string) {
  const staff = await staffClient();
  const pages: { entries: { id: string; action: string; entityId: string }[]; nextCursor: string | null }[] = [];
  let cursor: string | null = null;
  do {
    const res: ApiResponse = await staff.get(`${path}${cursor ? `&cursor=${cursor}` : ""}`);
    expect(res.status).toBe(200);
    pages.push(res.body);
    cursor = res.body.nextCursor;
  } while (cursor);
  return pages;
}

describe("GET /api/admin/audit paging", () => {
  it("pages through every entry exactly once, newest first, with nextCursor null on the last page", async () => {
    const { action, ids } = await auditRows(7);
    const pages = await allPages(`/api/admin/audit?limit=3&action=${action}`);
    expect(pages.map((p) => p.entries.length)).toEqual([3, 3, 1]);
    expect(pages.flatMap((p) => p.entries.map((e) => e.id))).toEqual(ids.toReversed());
    expect(pages.at(-1)!.nextCursor).toBeNull();
  });

  it("keeps its place when newer entries arrive between pages", async () => {
    const { action, ids } = await auditRows(4);
    const staff = await staffClient();
    const first = await staff.get(`/api/admin/audit?limit=2&action=${action}`);
    await db.insert(auditLog).values({ action, entityType: "test", entityId: randomUUID() });
    const second = await staff.get(`/api/admin/audit?limit=2&action=${action}&cursor=${first.body.nextCursor}`);
    expect([...first.body.entries, ...second.body.entries].map((e: { id: string }) => e.id)).toEqual(ids.toReversed());
    expect(second.body.nextCursor).toBeNull();
  });

  it("filters by action and by entity id, exactly", async () => {
    const { action, entities, ids } = await auditRows(5);
    const [byEntity] = await allPages(`/api/admin/audit?entityId=${entities[0]}`);
    expect(byEntity!.entries.map((e) => e.id)).toEqual([ids[4], ids[2], ids[0]]);
    const [both] = await allPages(`/api/admin/audit?action=${action}&entityId=${entities[1]}`);
    expect(both!.entries.map((e) => e.id)).toEqual([ids[3], ids[1]]);
    const [prefixOnly] = await allPages(`/api/admin/audit?action=${action.slice(0, -1)}`);
    expect(prefixOnly!.entries).toEqual([]);
  });

  it("answers the old unparameterised request with the newest entries", async () => {
    const { ids } = await auditRows(1);
    const res = await (await staffClient()).get("/api/admin/audit");
    expect(res.status).toBe(200);
    // Newest first, up to 100 as before paging (jobs of other tests may have audited something since).
    expect(res.body.entries.length).toBeLessThanOrEqual(100);
    expect(res.body.entries.find((e: { id: string }) => e.id === ids[0])).toMatchObject({ entityType: "test", after: { i: 0 } });
    expect(res.body).toHaveProperty("nextCursor");
  });

  it("refuses a junk cursor or query with 400 VALIDATION_FAILED, never a 500", async () => {
    const staff = await staffClient();
    const b64 = (text: string) => Buffer.from(text).toString("base64url");
    const junk = [
      ["cursor", "junk"],
      ["cursor", b64("0")],
      ["cursor", b64("-5")],
      ["cursor", b64("1e3")],
      ["cursor", b64("99999999999999999999")],
      ["cursor", b64("12|34")],
      ["cursor", "x".repeat(500)],
      ["limit", "0"],
      ["limit", "201"],
      ["limit", "ten"],
      ["action", "match.close\u0000"],
      ["entityId", "a\u001bb"],
      ["entityId", "x".repeat(201)],
    ] as const;
    for (const [name, value] of junk) {
      const res = await staff.get(`/api/admin/audit?${new URLSearchParams({ [name]: value })}`);
      expect(res.status, `${name}=${JSON.stringify(value)}`).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
      expect(res.body.error.issues.map((i: { path: string }) => i.path)).toEqual([name]);
    }
  });
});
