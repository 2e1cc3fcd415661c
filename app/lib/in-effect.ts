import { NextResponse } from "next/server";

/**
 * The answer to a staff action (I11): its usual success once the change is in effect for bets, or 202 with
 * `inEffect: false` when it is committed but Redis could not be reached, so bets may still see the old state
 * until the outbox relay applies it. Never a plain success that is not true yet.
 */
export function staffActionResponse(body: object, inEffect: boolean, status = 200): Response {
  if (inEffect) return NextResponse.json(body, { status });
  return NextResponse.json(
    {
      ...body,
      inEffect: false,
      message: "Saved, but not in effect yet: bets may see the previous state until the outbox relay applies it.",
    },
    { status: 202 },
  );
}
