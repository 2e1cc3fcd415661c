import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/platform/db";
import { betReference, streamIdTime, type LoggedBet } from "./write-behind-log";

/**
 * Writes logged bets to PostgreSQL in the caller's transaction, in log order: new bets only (a replayed entry is
 * already there), an accumulator with its legs, and one STAKE debit per new bet. Returns how many were new. Used by the flusher for its batches
 * and by staff recording a quarantined bet.
 */
export async function recordLoggedBets(tx: DbOrTx, partition: number, bets: LoggedBet[]): Promise<number> {
  if (bets.length === 0) return 0;
  const rows = bets.map((b, ord) => ({
    ord,
    id: b.betId,
    reference: betReference(partition, b.streamId),
    user_id: b.userId,
    type: b.selectionId === null ? "ACCUMULATOR" : "SINGLE",
    legs: b.selectionId === null ? b.legs.map((l) => ({ selection_id: l.selectionId, match_id: l.matchId, odds: l.odds })) : [],
    selection_id: b.selectionId,
    match_id: b.matchId,
    stake: b.stake,
    odds: b.odds,
    idempotency_key: b.idempotencyKey,
    stream_id: b.streamId,
    accepted_at: streamIdTime(b.streamId).toISOString(),
  }));
  const debited = await tx.execute(sql`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(
        ord int, id uuid, reference text, user_id uuid, type bet_type, legs jsonb, selection_id uuid, match_id uuid, stake bigint,
        odds int, idempotency_key text, stream_id text, accepted_at timestamptz)
    ), inserted as (
      insert into bets (id, reference, user_id, type, selection_id, match_id, stake, odds, idempotency_key, partition, stream_id, accepted_at)
      select id, reference, user_id, type, selection_id, match_id, stake, odds, idempotency_key, ${partition}, stream_id, accepted_at
      from input order by ord
      on conflict (id) do nothing
      returning id
    ), legs as (
      -- An accumulator's legs, in the order the bettor gave them (data-modifying: runs though nothing reads it).
      insert into bet_legs (bet_id, position, selection_id, match_id, odds)
      select input.id, leg.position - 1, (leg.value ->> 'selection_id')::uuid, (leg.value ->> 'match_id')::uuid, (leg.value ->> 'odds')::int
      from inserted join input using (id)
      cross join lateral jsonb_array_elements(input.legs) with ordinality as leg(value, position)
    )
    insert into ledger_entries (kind, reference, from_account_id, to_account_id, amount)
    select 'STAKE', input.id::text, customer.id, (select id from accounts where kind = 'STAKES'), input.stake
    from inserted
    join input using (id)
    join accounts customer on customer.user_id = input.user_id and customer.kind = 'CUSTOMER'
    order by input.ord
    returning id`);
  return debited.length;
}
