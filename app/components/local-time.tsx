"use client";

import { useSyncExternalStore } from "react";
import { formatDateTime, formatKickoff } from "@/app/lib/format";

const subscribe = () => () => {};
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The reader's time zone: "UTC" while rendering on the server and hydrating, the browser's own after that. */
function useTimeZone(): string {
  return useSyncExternalStore(subscribe, browserZone, () => "UTC");
}

/** A time in the reader's own time zone, its zone named: a kick-off ("Sat 14 Mar, 15:00 GMT") or a moment to the second. */
export function LocalTime({ iso, format = "kickoff" }: { iso: string; format?: "kickoff" | "moment" }) {
  const zone = useTimeZone();
  return <time dateTime={iso}>{format === "kickoff" ? formatKickoff(iso, zone) : formatDateTime(iso, zone)}</time>;
}
