import { accounts, users } from "@/drizzle/schema";
import { AppError, isUniqueViolation } from "@/server/errors";
import type { Deps } from "@/server/deps";
import { hashPassword } from "./passwords";
import type { Credentials, SessionUser, UserRole } from "./credentials.shared";
import { openSession } from "./sessions";

/** Creates a user and, for a bettor, the customer account their money lives in, in one transaction. */
export async function registerUser(
  { db }: Pick<Deps, "db">,
  { role = "bettor", ...input }: Credentials & { role?: UserRole },
): Promise<SessionUser> {
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
      throw new AppError("EMAIL_TAKEN", "An account with this email already exists.", {
        issues: [{ path: "email", message: "Already registered." }],
      });
    }
    throw error;
  }
}

/** Registration from the site: a new bettor, signed in, with this browser trusted for their account (see log-in.ts). */
export async function signUp(deps: Pick<Deps, "db" | "redis" | "config">, input: Credentials) {
  return openSession(deps, { user: await registerUser(deps, input) });
}
