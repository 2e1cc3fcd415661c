import { sql } from "drizzle-orm";
import { recordMatchChange } from "@/server/catalog/record-match-change";
import type { DbOrTx } from "@/server/platform/db";

/**
 * Applies completion markers in the flusher's batch transaction, after the bets logged before them. The match row
 * is locked first, so the flushers of two partitions applying the last two markers queue up: the second one sees
 * the first one's marker and flips the match to COMPLETE, in the transaction that applies the last marker.
 * NO KEY UPDATE, like the update itself: the key-share locks the bets' reference check takes (bet_references.sql) do
 * not conflict with it.
 */
export async function applyCompletionMarkers(
  tx: DbOrTx,
  partition: number,
  partitions: number,
  markers: { streamId: string; matchId: string }[],
) {
  for (const { matchId, streamId } of markers) {
    await tx.execute(sql`select 1 from matches where id = ${matchId} for no key update`);
    await tx.execute(sql`
      insert into completion_markers (match_id, partition, stream_id) values (${matchId}, ${partition}, ${streamId})
      on conflict do nothing`);
    const completed = await tx.execute(sql`
      update matches m set settlement_state = 'COMPLETE', completed_at = now()
      where m.id = ${matchId} and m.status = 'CLOSED' and m.settlement_state = 'INCOMPLETE'
        and (select count(*) from completion_markers c where c.match_id = m.id) >= ${partitions}
      returning m.id`);
    if (completed.length > 0) {
      await recordMatchChange(tx, matchId, {
        actorUserId: null,
        action: "match.complete",
        entityType: "match",
        entityId: matchId,
        before: { settlementState: "INCOMPLETE" },
      });
    }
  }
}
