import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthForm } from "@/app/components/auth-form";
import { safeNextPath } from "@/app/lib/next-path";
import { getSessionUser } from "@/app/lib/session";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = safeNextPath((await searchParams).next);
  if (await getSessionUser()) redirect(next);
  return <AuthForm mode="login" next={next} />;
}
