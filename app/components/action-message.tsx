// The outcome line under a back-office action: a polite status for success, an alert for a failure.
export type Outcome = { kind: "success" | "error"; text: string } | null;

export function ActionMessage({ outcome, testId }: { outcome: Outcome; testId?: string }) {
  if (!outcome) return <p className="outcome" role="status" data-testid={testId} />;
  return (
    <p className={`outcome outcome-${outcome.kind}`} role={outcome.kind === "error" ? "alert" : "status"} data-testid={testId}>
      {outcome.text}
    </p>
  );
}
