"use client";

import { useRouter } from "next/navigation";
import type { FormEvent } from "react";

/** A local date as "YYYY-MM-DD" (what a date input holds), or "" for none. */
const localDay = (iso: string | undefined) => {
  if (!iso) return "";
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
};

/**
 * Bets placed between two days of the bettor's own calendar: the browser turns its local midnights into the ISO
 * times the API filters on (from the first day's start to the end of the last), keeping the other filters.
 */
export function BetDateFilter({ from, to, keep }: { from?: string; to?: string; keep: Record<string, string> }) {
  const router = useRouter();
  // The end of the range is exclusive: the day after the last day shown.
  const lastDay = to ? localDay(new Date(Date.parse(to) - 1).toISOString()) : "";

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const params = new URLSearchParams(keep);
    const first = String(form.get("from") ?? "");
    const last = String(form.get("to") ?? "");
    if (first) params.set("from", new Date(`${first}T00:00`).toISOString());
    if (last) {
      const end = new Date(`${last}T00:00`);
      end.setDate(end.getDate() + 1);
      params.set("to", end.toISOString());
    }
    const query = params.toString();
    router.push(query ? `/bets?${query}` : "/bets");
  }

  return (
    <form className="inline-form bet-dates" onSubmit={apply} aria-label="Placed between">
      <label>
        From <input type="date" name="from" defaultValue={localDay(from)} />
      </label>
      <label>
        To <input type="date" name="to" defaultValue={lastDay} />
      </label>
      <button type="submit" className="button">
        Show
      </button>
    </form>
  );
}
