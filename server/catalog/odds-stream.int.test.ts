import { and, desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog } from "@/drizzle/schema";
import { staffClient } from "@/test/support/betting";
import { connectTestDatabase } from "@/test/support/database";
import { requiredEnv } from "@/test/support/api-client";

const db = connectTestDatabase();
const appUrl = requiredEnv("APP_URL");

/** The `data:` events of GET /api/odds/stream, parsed, as they arrive. */
async function* events(signal: AbortSignal): AsyncGenerator<{ type: string; suspended?: boolean; version?: number }> {
  const res = await fetch(`${appUrl}/api/odds/stream`, { signal });
  const decoder = new TextDecoder();
  let buffered = "";
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffered += decoder.decode(value, { stream: true });
    const blocks = buffered.split("\n\n");
    buffered = blocks.pop()!;
    for (const block of blocks) if (block.startsWith("data: ")) yield JSON.parse(block.slice(6));
  }
}

describe("the odds stream and the kill switch", () => {
  it("opens with the kill switch as it stands, then carries each flip; the reason is kept in the audit log", async () => {
    const admin = await staffClient();
    const abort = new AbortController();
    try {
      const stream = events(abort.signal);
      const first = (await stream.next()).value!;
      expect(first).toMatchObject({ type: "betting", suspended: false });
      expect((await admin.post("/api/admin/betting", { suspended: true, reason: "Floodlight failure" })).status).toBe(200);
      let next = (await stream.next()).value!;
      while (next.type !== "betting") next = (await stream.next()).value!;
      expect(next).toMatchObject({ type: "betting", suspended: true });
      expect(next.version).toBeGreaterThan(first.version!);
    } finally {
      abort.abort();
      await admin.post("/api/admin/betting", { suspended: false });
    }
    const [entry] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "betting.suspend"), eq(auditLog.entityId, "betting")))
      .orderBy(desc(auditLog.id))
      .limit(1);
    expect(entry!.after).toMatchObject({ suspended: true, reason: "Floodlight failure" });
    expect((await admin.post("/api/admin/betting", { suspended: true, reason: "bad\u0000reason" })).status).toBe(400);
  });
});
