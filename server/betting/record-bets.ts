import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/server/platform/db";
import { UnreadableEntryError } from "./quarantine";
import { betReference, streamIdTime, type LoggedBet, type LoggedCashOut } from "./write-behind-log";

/**
 * A PostgreSQL array literal of `values`, passed as one text parameter and cast in the query (`::uuid[]`): each column
 * of a batch goes as one array that PostgreSQL parses with the column type's own input function. Elements are
 * quoted, so any text survives (a NUL is refused by PostgreSQL, class 22, as jsonb refused it).
 */
export function pgArray(values: readonly (string | number | null)[]): string {
  return `{${values.map((v) => (v === null ? "NULL" : `"${String(v).replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`)).join(",")}}`;
}

/**
 * Writes logged bets to PostgreSQL in the caller's transaction, in log order: new bets only (a replayed entry is
 * already there), an accumulator with its legs, and one STAKE debit per new bet. Returns how many were new. Used by
 * staff recording a quarantined bet; the flusher runs the same statement with its cursor move (loggedBetsWith).
 */
export async function recordLoggedBets(tx: DbOrTx, partition: number, bets: LoggedBet[]): Promise<number> {
  if (bets.length === 0) return 0;
  const [{ debited }] = (await tx.execute(loggedBetsWith(sql``, partition, bets))) as unknown as [{ debited: number }];
  return debited;
}

/**
 * One statement that writes logged bets as recordLoggedBets describes, after the CTEs in `before` (empty, or
 * ending with a comma), and returns `debited`. With `gate` (the name of one of those CTEs) the bets are written only
 * if that CTE returns a row: the flusher's cursor move, so that one statement, committed on its own, moves the
 * cursor and writes the batch or does neither. The batch goes as typed arrays (unnest), one per column.
 */
export function loggedBetsWith(before: SQL, partition: number, bets: LoggedBet[], gate?: string): SQL {
  const col = <T extends string | number | null>(of: (b: LoggedBet) => T) => pgArray(bets.map(of));
  const legs = bets.flatMap((b) => (b.selectionId === null ? b.legs.map((l, position) => ({ betId: b.betId, position, ...l })) : []));
  const legCol = <T extends string | number>(of: (l: (typeof legs)[number]) => T) => pgArray(legs.map(of));
  return sql`
    with ${before} input as (
      select * from unnest(
        ${col((b) => b.betId)}::uuid[], ${col((b) => betReference(partition, b.streamId))}::text[], ${col((b) => b.userId)}::uuid[],
        ${col((b) => b.selectionId)}::uuid[], ${col((b) => b.matchId)}::uuid[], ${col((b) => b.stake)}::bigint[], ${col((b) => b.odds)}::int[],
        ${col((b) => b.idempotencyKey)}::text[], ${col((b) => b.streamId)}::text[], ${col((b) => streamIdTime(b.streamId).toISOString())}::timestamptz[]
      ) with ordinality as x(id, reference, user_id, selection_id, match_id, stake, odds, idempotency_key, stream_id, accepted_at, ord)
      ${gate ? sql`where exists (select 1 from ${sql.identifier(gate)})` : sql``}
    ), inserted as (
      -- An accumulator has no selection or match of its own.
      insert into bets (id, reference, user_id, type, selection_id, match_id, stake, odds, idempotency_key, partition, stream_id, accepted_at)
      select id, reference, user_id, (case when selection_id is null then 'ACCUMULATOR' else 'SINGLE' end)::bet_type, selection_id, match_id,
        stake, odds, idempotency_key, ${partition}, stream_id, accepted_at
      from input order by ord
      on conflict (id) do nothing
      returning id
    ), legs as (
      -- An accumulator's legs, in the order the bettor gave them (data-modifying: runs though nothing reads it).
      insert into bet_legs (bet_id, position, selection_id, match_id, odds)
      select leg.bet_id, leg.position, leg.selection_id, leg.match_id, leg.odds
      from unnest(${legCol((l) => l.betId)}::uuid[], ${legCol((l) => l.position)}::smallint[], ${legCol((l) => l.selectionId)}::uuid[],
        ${legCol((l) => l.matchId)}::uuid[], ${legCol((l) => l.odds)}::int[]) as leg(bet_id, position, selection_id, match_id, odds)
      join inserted on inserted.id = leg.bet_id
    ), debits as (
      insert into ledger_entries (kind, reference, from_account_id, to_account_id, amount)
      select 'STAKE', input.id::text, customer.id, (select id from accounts where kind = 'STAKES'), input.stake
      from inserted
      join input using (id)
      join accounts customer on customer.user_id = input.user_id and customer.kind = 'CUSTOMER'
      order by input.ord
      returning 1
    )
    select (select count(*)::int from debits) as debited${gate ? sql`, (select count(*)::int from ${sql.identifier(gate)}) as gated` : sql``}`;
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
