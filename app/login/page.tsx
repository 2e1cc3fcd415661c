import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { isoDateTimeSchema } from "@/server/fields.shared";
import { AuthForm } from "@/app/components/auth-form";
import { formatDateTime } from "@/app/lib/format";
import { safeNextPath } from "@/app/lib/next-path";
import { getSessionUser } from "@/app/lib/session";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const next = safeNextPath(params.next);
  if (await getSessionUser()) redirect(next);
  // Where the take-a-break page sends a bettor who just excluded themselves.
  const excluded = isoDateTimeSchema.safeParse(params.excludedUntil);
  return (
    <>
      {excluded.success && (
        <p className="card notice" role="status" data-testid="excluded-notice">
          You are signed out everywhere. You cannot sign in, bet or deposit until {formatDateTime(excluded.data)}.
        </p>
      )}
      <AuthForm mode="login" next={next} />
    </>
  );
}
