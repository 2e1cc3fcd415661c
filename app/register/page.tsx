import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthForm } from "@/app/components/auth-form";
import { getSessionUser } from "@/app/lib/session";

export const metadata: Metadata = { title: "Register" };

export default async function RegisterPage() {
  if (await getSessionUser()) redirect("/");
  // A new bettor lands on their wallet, where they are asked to set a deposit limit before the first deposit.
  return <AuthForm mode="register" next="/wallet" />;
}
