"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import type { AdminUser } from "@/server/risk/stake-factors";
import { callApi, describeError } from "@/app/lib/browser-api";
import { ActionMessage, type Outcome } from "./action-message";

/** Sets one bettor's stake factor ("0.01" to "1.00"); audited on the server. */
export function StakeFactorForm({ user }: { user: AdminUser }) {
  const router = useRouter();
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [isPending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const stakeFactor = String(new FormData(event.currentTarget).get("stakeFactor") ?? "").trim();
    setPending(true);
    const result = await callApi<{ user: AdminUser }>("PATCH", `/api/admin/users/${user.id}`, { stakeFactor });
    setPending(false);
    setOutcome(
      result.ok
        ? { kind: "success", text: `Stake factor ${result.data.user.stakeFactor}: from the next bet on.` }
        : { kind: "error", text: `Not changed: ${describeError(result.error)}` },
    );
    router.refresh();
  }

  return (
    <form onSubmit={submit} className="inline-form">
      <label htmlFor={`factor-${user.id}`}>Stake factor</label>
      <input
        id={`factor-${user.id}`}
        name="stakeFactor"
        defaultValue={user.stakeFactor}
        inputMode="decimal"
        pattern="(0\.\d\d|1\.00)"
        title="A decimal from 0.01 to 1.00, like 0.25"
        required
        disabled={isPending}
      />
      <button type="submit" className="button button-small" disabled={isPending}>
        Set
      </button>
      <ActionMessage outcome={outcome} testId="stake-factor-outcome" />
    </form>
  );
}
