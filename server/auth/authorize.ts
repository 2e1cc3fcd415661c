import { AppError } from "@/server/errors";
import type { SessionUser, UserRole } from "./credentials.shared";

/** Every protected handler calls this itself: middleware alone is not an authorization boundary. */
export function requireRole(user: SessionUser | null, role?: UserRole): SessionUser {
  if (!user) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
  if (role && user.role !== role) throw new AppError("FORBIDDEN", "You do not have access to this resource.");
  return user;
}
