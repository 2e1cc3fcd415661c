"use client";

import { useEffect, useState } from "react";
import { callApi } from "./browser-api";

/** A GET answer read now and every `intervalMs` while the component is shown; null until the first answer. */
export function usePolled<T>(path: string, intervalMs: number): T | null {
  const [data, setData] = useState<T | null>(null);
  useEffect(() => {
    let isCurrent = true;
    const read = async () => {
      const result = await callApi<T>("GET", path);
      if (isCurrent && result.ok) setData(result.data);
    };
    void read();
    const timer = window.setInterval(read, intervalMs);
    return () => {
      isCurrent = false;
      window.clearInterval(timer);
    };
  }, [path, intervalMs]);
  return data;
}
