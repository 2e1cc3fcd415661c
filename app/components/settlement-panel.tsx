import type { MatchDto } from "@/server/catalog/match-root";
import type { SettlementOutcome } from "@/server/lifecycle/match-result.shared";
import type { SettlementStatus } from "@/server/lifecycle/settlement-status";
import { formatDateTime, formatMoney } from "@/app/lib/format";
import { describeResult } from "@/app/lib/match-result-words";
import { MatchResultForm } from "./match-result-form";
import { SettleButton } from "./settle-button";

// BullMQ states after which nothing more happens to the job on its own.
const FINISHED_JOB_STATES = ["completed", "failed"];

export function isSettlementJobRunning(status: SettlementStatus): boolean {
  return status.job !== null && !FINISHED_JOB_STATES.includes(status.job.state);
}

/** Why the payout cannot run yet (the same checks the settle route makes), or null when it can. */
function settleBlockedBecause(match: MatchDto, status: SettlementStatus): string | null {
  if (status.settlementState === "INCOMPLETE") return "Waiting for every bet accepted before the close to be recorded.";
  if (match.result === null) return "Record the result (the score, or void) first.";
  return null;
}

const bets = (n: number) => `${n} ${n === 1 ? "bet" : "bets"}`;

const stateExplanations: Record<SettlementStatus["settlementState"], string> = {
  INCOMPLETE: "Waiting for every partition's completion marker: bets accepted before the close may still be on their way to the database.",
  COMPLETE: "Every bet accepted before the close is in the database: the match can be paid out once its result is recorded.",
  SETTLED: "Paid out. The result is final.",
};

/** Under a closed match: completion markers per partition, the result, the payout job and the payout record. */
export function SettlementPanel({ match, status }: { match: MatchDto; status: SettlementStatus }) {
  const applied = status.markers.filter((m) => m.applied).length;
  const isSettled = status.settlementState === "SETTLED";
  return (
    <section className="card settlement" aria-labelledby="settlement-title" data-testid="settlement">
      <h2 id="settlement-title">Settlement</h2>
      <p>
        State <strong data-testid="settlement-state">{status.settlementState}</strong>
        {" · "}
        <span data-testid="marker-progress">
          {applied} of {status.markers.length} partitions
        </span>{" "}
        applied their completion marker.
      </p>
      <p className="muted">
        {stateExplanations[status.settlementState]}
        {status.closedAt && ` Closed ${formatDateTime(status.closedAt.toISOString())}.`}
        {status.completedAt && ` Complete ${formatDateTime(status.completedAt.toISOString())}.`}
        {status.payoutStartedAt && !isSettled && ` Payout under way since ${formatDateTime(status.payoutStartedAt.toISOString())}.`}
      </p>
      <table className="table markers">
        <caption>Completion markers</caption>
        <thead>
          <tr>
            <th scope="col">Partition</th>
            <th scope="col">Applied</th>
            <th scope="col">Stream id</th>
            <th scope="col">Applied at</th>
          </tr>
        </thead>
        <tbody>
          {status.markers.map((m) => (
            <tr key={m.partition} data-testid="marker" data-applied={m.applied}>
              <td>{m.partition}</td>
              <td>{m.applied ? "yes" : "no"}</td>
              <td>{m.streamId ? <code>{m.streamId}</code> : "—"}</td>
              <td>{m.appliedAt ? formatDateTime(m.appliedAt.toISOString()) : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3>Result</h3>
      <p data-testid="match-result">{describeResult(match)}</p>
      {/* Once the payout has begun the result is final (the server refuses a correction). */}
      {!isSettled && !status.payoutStartedAt && <MatchResultForm match={match} />}

      <h3>Payout</h3>
      {!isSettled && (
        <SettleButton matchId={match.id} isRunning={isSettlementJobRunning(status)} blockedBecause={settleBlockedBecause(match, status)} />
      )}
      {status.job && <JobView job={status.job} hasPayoutBegun={status.payoutStartedAt !== null} />}
      {status.settlement && (
        <p data-testid="settlement-record">
          Settled {formatDateTime(status.settlement.settledAt.toISOString())}: {bets(status.settlement.betsSettled)}, stakes{" "}
          {formatMoney(status.settlement.stakes)}, payouts{" "}
          <strong data-testid="settlement-payouts">{formatMoney(status.settlement.payouts)}</strong>.
        </p>
      )}
    </section>
  );
}

function JobView({ job, hasPayoutBegun }: { job: NonNullable<SettlementStatus["job"]>; hasPayoutBegun: boolean }) {
  // The job's return value is settleMatch's outcome (server/jobs/match-lifecycle.ts).
  const outcome = job.outcome as SettlementOutcome | null;
  return (
    <div data-testid="settlement-job" className="settlement-job">
      <p>
        Payout job <code>{job.id}</code>: <strong data-testid="settlement-job-state">{job.state}</strong>
        {job.attemptsMade > 1 && ` after ${job.attemptsMade} attempts`}
        {job.processedBy && <span className="muted"> (worker {job.processedBy})</span>}
      </p>
      {job.failedReason &&
        (job.state === "failed" ? (
          <p className="outcome outcome-error" role="alert" data-testid="settlement-job-failure">
            Failed: {job.failedReason}.{" "}
            {hasPayoutBegun
              ? "The payout had begun: the bets it settled stay settled, and pressing Settle again settles the rest."
              : "Nothing was paid; press Settle again once the cause is fixed."}
          </p>
        ) : (
          // Each chunk of the payout is its own transaction: a failed attempt leaves whole chunks paid, and BullMQ's
          // retry settles the rest.
          job.state !== "completed" && <p className="muted">Last attempt failed ({job.failedReason}); retrying.</p>
        ))}
      {outcome &&
        (outcome.alreadySettled ? (
          <p data-testid="settlement-job-outcome">The match was already settled: this run paid nothing.</p>
        ) : (
          <p data-testid="settlement-job-outcome">
            {bets(outcome.betsSettled)} settled: {outcome.won} won, {outcome.lost} lost, {outcome.voided} void; stakes{" "}
            {formatMoney(outcome.stakes)}, payouts {formatMoney(outcome.payouts)}.
          </p>
        ))}
    </div>
  );
}
