import { NextResponse } from "next/server";
import { getMatch } from "@/server/catalog/get-match";
import { route } from "@/app/lib/handler";
import { catalogReader } from "@/app/lib/catalog";

// GET /api/matches/:id
export const GET = route<{ id: string }>(async (_request, params) => {
  const reader = await catalogReader();
  return NextResponse.json(await getMatch((id) => reader.getMatch(id), params));
});
