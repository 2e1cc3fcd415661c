import { route } from "@/app/lib/handler";
import { endSession } from "@/app/lib/session";

// POST /api/auth/logout
export const POST = route(async () => {
  await endSession();
  return new Response(null, { status: 204 });
});
