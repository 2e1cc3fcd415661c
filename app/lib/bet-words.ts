import type { BetStatus } from "@/server/betting/bets.shared";

// A bet's status in a bettor's words: open or settled first; the queue's own state is a detail for the curious.

export type BetGroup = "open" | "won" | "lost" | "void";
type Words = { label: string; group: BetGroup; explanation: string; detail: string };

const open = "Your stake is set aside; the bet is open until the match is settled.";

const words: Record<BetStatus, Words> = {
  ACCEPTED: { label: "Open", group: "open", explanation: open, detail: "Placed a moment ago; we are still filing it." },
  RECORDED: { label: "Open", group: "open", explanation: open, detail: "Filed: it waits for the match result." },
  WON: { label: "Won", group: "won", explanation: "Your winnings have been added to your balance.", detail: "Settled." },
  LOST: { label: "Lost", group: "lost", explanation: "This bet did not win.", detail: "Settled." },
  VOID: { label: "Void", group: "void", explanation: "The bet was cancelled: your stake has been returned.", detail: "Settled." },
  CASHED_OUT: {
    label: "Cashed out",
    group: "won",
    explanation: "You took the cash-out offer: the amount was added to your balance at once.",
    detail: "Settled early, at your request.",
  },
};

export function betWords(status: BetStatus): Words {
  return words[status];
}
