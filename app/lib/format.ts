// Display formatting shared by server and client components; money stays integer minor units until here.
export function formatMoney(minorUnits: number, currency = "EUR"): string {
  return new Intl.NumberFormat("en-GB", { style: "currency", currency }).format(minorUnits / 100);
}

const inZone = (iso: string, timeZone: string, fields: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat("en-GB", { ...fields, timeZone, timeZoneName: "short" }).format(new Date(iso));

/** "Sat 14 Mar, 15:00 GMT": a kick-off with its zone named, in `timeZone` (an IANA name; UTC by default). */
export function formatKickoff(iso: string, timeZone = "UTC"): string {
  return inZone(iso, timeZone, { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
}

/**
 * An amount typed in currency units ("12.50", "12,5", "12") as integer minor units (1250), by string handling so
 * no floating point rounding can creep in; null when it is not a plain amount with at most two decimals.
 */
export function parseMoney(text: string): number | null {
  const match = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
}

/** "14 Mar, 15:00:07 GMT": a moment to the second, its zone named. */
export function formatDateTime(iso: string, timeZone = "UTC"): string {
  return inZone(iso, timeZone, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", second: "2-digit" });
}
