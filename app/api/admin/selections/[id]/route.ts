import { editOddsSchema, editSelectionOdds, selectionParamsSchema } from "@/server/catalog/edit-odds";
import { webDeps } from "@/server/deps";
import { parseInput } from "@/server/validation";
import { readJson, route } from "@/app/lib/handler";
import { staffActionResponse } from "@/app/lib/in-effect";
import { requireUser } from "@/app/lib/session";

// PATCH /api/admin/selections/:id
export const PATCH = route<{ id: string }>(async (request, params) => {
  const staff = await requireUser("staff");
  const { id } = parseInput(selectionParamsSchema, params);
  const input = parseInput(editOddsSchema, await readJson(request));
  const { selection, inEffect } = await editSelectionOdds(webDeps(), { actor: staff, selectionId: id, ...input });
  return staffActionResponse({ selection }, inEffect);
});
