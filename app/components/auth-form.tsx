"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { credentialsSchema } from "@/server/auth/credentials.shared";

type Mode = "login" | "register";
type FieldErrors = Partial<Record<"email" | "password" | "form", string>>;

const copy = {
  login: { title: "Sign in", submit: "Sign in", endpoint: "/api/auth/login", other: ["No account yet?", "/register", "Register"] },
  register: {
    title: "Create an account",
    submit: "Register",
    endpoint: "/api/auth/register",
    other: ["Already registered?", "/login", "Sign in"],
  },
} as const;

function toFieldErrors(issues: { path: string; message: string }[] | undefined, fallback: string): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues ?? []) {
    const field = issue.path === "email" || issue.path === "password" ? issue.path : "form";
    errors[field] ??= issue.message;
  }
  if (Object.keys(errors).length === 0) errors.form = fallback;
  return errors;
}

export function AuthForm({ mode, next }: { mode: Mode; next: string }) {
  const router = useRouter();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [isPending, setPending] = useState(false);
  const text = copy[mode];

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = credentialsSchema.safeParse({ email: form.get("email"), password: form.get("password") });
    if (!parsed.success) {
      setErrors(
        toFieldErrors(
          parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
          "Check the form.",
        ),
      );
      return;
    }
    setPending(true);
    setErrors({});
    try {
      const response = await fetch(text.endpoint, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(parsed.data),
      });
      if (response.ok) {
        router.push(next);
        router.refresh();
        return;
      }
      const body = (await response.json().catch(() => null)) as {
        error?: { message?: string; issues?: { path: string; message: string }[] };
      } | null;
      setErrors(toFieldErrors(body?.error?.issues, body?.error?.message ?? "Something went wrong. Try again."));
    } catch {
      setErrors({ form: "The server could not be reached. Try again." });
    }
    setPending(false);
  }

  return (
    <section className="card auth-card" aria-labelledby="auth-title">
      <h1 id="auth-title">{text.title}</h1>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="email">Email</label>
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="email"
            required
            aria-invalid={!!errors.email}
            aria-describedby={errors.email ? "email-error" : undefined}
          />
          {errors.email && (
            <p id="email-error" className="field-error">
              {errors.email}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete={mode === "login" ? "current-password" : "new-password"}
            required
            minLength={8}
            aria-invalid={!!errors.password}
            aria-describedby={errors.password ? "password-error" : undefined}
          />
          {errors.password && (
            <p id="password-error" className="field-error">
              {errors.password}
            </p>
          )}
        </div>
        <p role="alert" className="form-error">
          {errors.form}
        </p>
        <button type="submit" className="button button-wide" disabled={isPending}>
          {isPending ? "Please wait…" : text.submit}
        </button>
      </form>
      <p className="muted">
        {text.other[0]} <Link href={text.other[1]}>{text.other[2]}</Link>
      </p>
    </section>
  );
}
