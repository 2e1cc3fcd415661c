// Display formatting shared by server and client components; money stays integer minor units until here.
export function formatMoney(minorUnits: number, currency = "EUR"): string {
  return new Intl.NumberFormat("en-GB", { style: "currency", currency }).format(minorUnits / 100);
}

const kickoffFormat = new Intl.DateTimeFormat("en-GB", {
  weekday: "short",
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});

export function formatKickoff(iso: string): string {
  return `${kickoffFormat.format(new Date(iso))} UTC`;
}
