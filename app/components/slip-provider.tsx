"use client";

import { createContext, useContext, useState, type Dispatch, type ReactNode, type SetStateAction } from "react";
import { newAccumulatorSlip, type AccumulatorReceipt, type AccumulatorSlip } from "@/app/lib/accumulator";
import type { SlipLine } from "@/app/lib/slip-lines";

export type SlipMode = "singles" | "accumulator";

type State<T> = [T, Dispatch<SetStateAction<T>>];

/** The bet slip's state: its selections, how they are to be placed, and the accumulator built from them. */
export type SlipState = {
  lines: State<SlipLine[]>;
  mode: State<SlipMode>;
  accumulator: State<AccumulatorSlip>;
  accumulatorReceipts: State<AccumulatorReceipt[]>;
  isOpen: State<boolean>;
  /** The price the bettor chose last: the slip moves the focus to its stake. */
  chosen: State<{ selectionId: string } | null>;
};

const SlipContext = createContext<SlipState | null>(null);

/**
 * One slip for every page that offers prices (the catalog and each match's page): it lives in the root layout, so
 * a selection chosen on one page is still there on the next. The layout keys it by the signed-in user, so one
 * bettor's slip never reaches another who signs in on the same tab.
 */
export function SlipProvider({ children }: { children: ReactNode }) {
  const value: SlipState = {
    lines: useState<SlipLine[]>([]),
    mode: useState<SlipMode>("singles"),
    accumulator: useState(() => newAccumulatorSlip()),
    accumulatorReceipts: useState<AccumulatorReceipt[]>([]),
    isOpen: useState(false),
    chosen: useState<{ selectionId: string } | null>(null),
  };
  return <SlipContext.Provider value={value}>{children}</SlipContext.Provider>;
}

export function useSlipState(): SlipState {
  const state = useContext(SlipContext);
  if (!state) throw new Error("useSlipState outside SlipProvider");
  return state;
}
