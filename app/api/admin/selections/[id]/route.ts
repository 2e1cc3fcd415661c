import { NextResponse } from "next/server";
import { z } from "zod";
import { editOddsSchema, editSelectionOdds, selectionIdSchema } from "@/server/catalog/edit-odds";
import { getDb } from "@/server/platform/db";
import { parseInput } from "@/server/validation";
import { readJson, route } from "@/app/lib/handler";
import { requireUser } from "@/app/lib/session";

// PATCH /api/admin/selections/:id
export const PATCH = route<{ id: string }>(async (request, params) => {
  const staff = await requireUser("staff");
  const { id } = parseInput(z.object({ id: selectionIdSchema }), params);
  const input = parseInput(editOddsSchema, await readJson(request));
  return NextResponse.json(await editSelectionOdds(getDb(), staff, id, input));
});
