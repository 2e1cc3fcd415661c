import { accounts, users } from "@/drizzle/schema";
import { AppError, isUniqueViolation } from "@/server/errors";
import type { Database } from "@/server/platform/db";
import { hashPassword } from "./passwords";
import type { Credentials, SessionUser, UserRole } from "./schemas";

/** Creates a user and, for a bettor, the customer account their money lives in, in one transaction. */
export async function registerUser(db: Database, input: Credentials, role: UserRole = "bettor"): Promise<SessionUser> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({ email: input.email, passwordHash, role })
        .returning({ id: users.id, email: users.email, role: users.role });
      if (!user) throw new Error("insert into users returned no row");
      if (role === "bettor") await tx.insert(accounts).values({ kind: "CUSTOMER", userId: user.id });
      return user;
    });
  } catch (error) {
    if (isUniqueViolation(error, "users_email_unique")) {
      throw new AppError("EMAIL_TAKEN", "An account with this email already exists.", { issues: [{ path: "email", message: "Already registered." }] });
    }
    throw error;
  }
}
