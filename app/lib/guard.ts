import { forbidden, redirect } from "next/navigation";
import type { SessionUser } from "@/server/auth/credentials.shared";
import { getSessionUser } from "./session";

/** For back-office pages: anonymous visitors are sent to sign in, bettors get a 403. Call it in every page. */
export async function requireStaffPage(path: string): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect(`/login?next=${encodeURIComponent(path)}`);
  if (user.role !== "staff") forbidden();
  return user;
}

/** For bettor pages: anonymous visitors are sent to sign in; staff get the page's own explanation (they hold no wallet). */
export async function requireSignedInPage(path: string): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect(`/login?next=${encodeURIComponent(path)}`);
  return user;
}
