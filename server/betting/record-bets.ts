import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/platform/db";
import { UnreadableEntryError } from "./quarantine";
import { betReference, streamIdTime, type LoggedBet, type LoggedCashOut } from "./write-behind-log";

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

/**
 * Applies logged cash-outs in the caller's transaction: each open bet becomes CASHED_OUT with payout = amount, its
 * stake goes from STAKES to HOUSE (CASH_OUT_STAKE) and the amount from HOUSE to the bettor (CASH_OUT). A replay
 * finds the bet cashed out already and moves nothing. A cash-out whose bet is not open here (never the case: the
 * acceptance logs it after the bet, before any close) is refused for good, so the flusher sets it aside.
 */
export async function recordCashOuts(tx: DbOrTx, cashOuts: LoggedCashOut[]): Promise<void> {
  if (cashOuts.length === 0) return;
  const rows = cashOuts.map((c) => ({ bet_id: c.betId, amount: c.amount, at: streamIdTime(c.streamId).toISOString() }));
  await tx.execute(sql`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(bet_id uuid, amount bigint, at timestamptz)
    ), cashed as (
      update bets b set status = 'CASHED_OUT', payout = input.amount, settled_at = input.at
      from input where b.id = input.bet_id and b.status = 'RECORDED'
      returning b.id, b.user_id, b.stake, b.payout
    ), stakes as (
      insert into ledger_entries (kind, reference, from_account_id, to_account_id, amount)
      select 'CASH_OUT_STAKE', c.id::text, (select id from accounts where kind = 'STAKES'), (select id from accounts where kind = 'HOUSE'), c.stake
      from cashed c
    )
    insert into ledger_entries (kind, reference, from_account_id, to_account_id, amount)
    select 'CASH_OUT', c.id::text, (select id from accounts where kind = 'HOUSE'), customer.id, c.payout
    from cashed c join accounts customer on customer.user_id = c.user_id and customer.kind = 'CUSTOMER'`);
  const [{ settled }] = (await tx.execute(sql`
    select count(*)::int as settled from bets
    where id in (select (x ->> 'bet_id')::uuid from jsonb_array_elements(${JSON.stringify(rows)}::jsonb) x) and status = 'CASHED_OUT'`)) as unknown as [
    { settled: number },
  ];
  if (settled !== new Set(cashOuts.map((c) => c.betId)).size) {
    throw new UnreadableEntryError(
      `a cash-out of a bet that is not open in PostgreSQL, among ${cashOuts.map((c) => c.streamId).join(", ")}`,
    );
  }
}
