import { z } from "zod";

// Request shapes of /api/auth, shared by the route handlers, the browser forms and the tests.
const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "Enter a valid email address." }).max(254));

export const credentialsSchema = z.object({
  email: emailSchema,
  // The upper bound keeps a hostile request from making the server hash megabytes; 128 is OWASP ASVS's minimum
  // maximum (2.1.2).
  password: z.string().min(8, "Password must be at least 8 characters.").max(128, "Password must be at most 128 characters."),
});

export type Credentials = z.infer<typeof credentialsSchema>;

export const sessionUserSchema = z.object({ id: z.string(), email: z.string(), role: z.enum(["bettor", "staff"]) });

export type SessionUser = z.infer<typeof sessionUserSchema>;
export type UserRole = SessionUser["role"];
