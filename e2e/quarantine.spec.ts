import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { expect, signedInPage, test } from "./fixtures";
import { logKeys } from "@/server/platform/redis-keys";

test("staff see an entry PostgreSQL refused in the quarantine and resolve it, with an explicit outcome", async ({ browser }) => {
  // An entry of a type no flusher knows (as a newer version might write), in partition 0's log.
  const redis = new Redis(process.env.REDIS_URL!);
  const streamId = (await redis.xadd(logKeys.stream(0), "*", "type", "mystery", "matchId", randomUUID()))!;
  redis.disconnect();

  const staff = await signedInPage(browser, "staff@example.com", "/admin/write-behind");
  const entry = staff.getByTestId("quarantined-entry").filter({ hasText: `0/${streamId}` });
  await expect(entry).toContainText("unknown write-behind entry type", { timeout: 30_000 });
  await expect(staff.getByTestId("partition-0")).not.toContainText("none: nothing is being written");
  await staff.screenshot({ path: "test-results/e2e/quarantine.png", fullPage: true });

  staff.once("dialog", (dialog) => void dialog.accept());
  await entry.getByRole("button", { name: "Dismiss" }).click();
  await expect(staff.getByTestId(`quarantine-outcome-0-${streamId}`)).toHaveText("Dismissed.");
  await expect(entry.getByRole("cell").last()).toContainText("Dismissed");
});
