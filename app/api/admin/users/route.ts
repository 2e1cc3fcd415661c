import { NextResponse } from "next/server";
import { webDeps } from "@/server/deps";
import { findUsers, findUsersSchema } from "@/server/risk/stake-factors";
import { parseInput } from "@/server/validation";
import { route } from "@/app/lib/handler";
import { requireUser } from "@/app/lib/session";

// GET /api/admin/users?email=: accounts whose email starts with it.
export const GET = route(async (request) => {
  await requireUser("staff");
  const query = parseInput(findUsersSchema, Object.fromEntries(request.nextUrl.searchParams));
  return NextResponse.json({ users: await findUsers(webDeps(), query) });
});
