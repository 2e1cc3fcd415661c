import { NextResponse } from "next/server";
import { webDeps } from "@/server/deps";
import { parseInput } from "@/server/validation";
import { listTransactions, listTransactionsSchema } from "@/server/wallet/list-transactions";
import { route } from "@/app/lib/handler";
import { requireUser } from "@/app/lib/session";

// GET /api/wallet/transactions?limit=&cursor=: every movement of the bettor's money, newest first.
export const GET = route(async (request) => {
  const user = await requireUser("bettor");
  const query = parseInput(listTransactionsSchema, Object.fromEntries(request.nextUrl.searchParams));
  return NextResponse.json(await listTransactions(webDeps(), { userId: user.id, ...query }));
});
