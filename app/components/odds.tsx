"use client";

import { useSyncExternalStore } from "react";
import { formatPrice, ODDS_FORMATS, type OddsFormat } from "@/server/odds-formats.shared";

// The bettor's choice, remembered in this browser; the API always speaks decimal.
const STORAGE_KEY = "odds-format";
const CHANGED = "odds-format-changed";

function subscribe(onChange: () => void) {
  window.addEventListener("storage", onChange);
  window.addEventListener(CHANGED, onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener(CHANGED, onChange);
  };
}

function storedFormat(): OddsFormat {
  const stored = window.localStorage.getItem(STORAGE_KEY);
  return (ODDS_FORMATS as readonly string[]).includes(stored ?? "") ? (stored as OddsFormat) : "decimal";
}

// The server renders decimal; the browser switches to the stored format as it hydrates.
const useOddsFormat = () => useSyncExternalStore(subscribe, storedFormat, () => "decimal" as const);

/** A decimal price ("2.10") as this bettor reads prices. */
export function Odds({ value }: { value: string }) {
  return <>{formatPrice(value, useOddsFormat())}</>;
}

const labels: Record<OddsFormat, string> = { decimal: "Decimal (2.10)", fractional: "Fractional (11/10)", american: "American (+110)" };

export function OddsFormatPicker() {
  const format = useOddsFormat();
  return (
    <span className="odds-format">
      {/* A label of its own: wrapping the select would put every option's text into its name. */}
      <label htmlFor="odds-format">Odds format</label>{" "}
      <select
        id="odds-format"
        value={format}
        onChange={(event) => {
          window.localStorage.setItem(STORAGE_KEY, event.target.value);
          window.dispatchEvent(new Event(CHANGED));
        }}
      >
        {ODDS_FORMATS.map((f) => (
          <option key={f} value={f}>
            {labels[f]}
          </option>
        ))}
      </select>
    </span>
  );
}
