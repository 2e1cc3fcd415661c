// The outcome line under a back-office action: a polite status for success, an alert for a failure or a warning.
export type Outcome = { kind: "success" | "warning" | "error"; text: string } | null;

/** A staff action's success, or a warning when the server saved it but could not put it in effect yet (202). */
export function successOutcome(data: unknown, text: string): Outcome {
  const notInEffect = (data as { inEffect?: boolean; message?: string } | null)?.inEffect === false;
  return notInEffect ? { kind: "warning", text: `${text} ${(data as { message: string }).message}` } : { kind: "success", text };
}

export function ActionMessage({ outcome, testId }: { outcome: Outcome; testId?: string }) {
  if (!outcome) return <p className="outcome" role="status" data-testid={testId} />;
  return (
    <p className={`outcome outcome-${outcome.kind}`} role={outcome.kind === "success" ? "status" : "alert"} data-testid={testId}>
      {outcome.text}
    </p>
  );
}
