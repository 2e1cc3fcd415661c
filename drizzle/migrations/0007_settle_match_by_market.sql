-- Installs the current text of drizzle/sql/settle_match.sql (npm run db:sql-migration).
-- This migration may have run on databases: change the source file and generate a new one instead.
-- The payout: settles every bet of one match and pays the winners, in the caller's transaction. This is the
-- current text of the function, which migrations install (README: "SQL as source").
-- Run by the settlement job and by a person with `psql -v match_id=... -f drizzle/settle-match.sql`.
--   * refuses a match that is not COMPLETE (SQLSTATE BM001) or has no result (BM002): COMPLETE means every
--     partition's completion marker has been applied, so every bet accepted before the close is in `bets`;
--   * refuses a match with an unresolved quarantined log entry (BM003): that bet was accepted but is not in `bets`
--     (an entry whose match cannot be read blocks every payout, since it may be any match's);
--   * idempotent: the match row is locked first, and a SETTLED match returns already_settled and pays nothing;
--   * each bet is decided by its market's rule from the score (selection_wins), or by the winner selection of a
--     match-result-only match; a voided match or market returns the stakes;
--   * WON pays floor(stake x odds) (STAKE_RETURN from STAKES + WINNINGS from HOUSE), LOST moves the stake to
--     HOUSE (STAKE_LOST), VOID returns it (STAKE_RETURN); one wallet.credit outbox row per credit, which the
--     relay applies to the Redis wallet once per ledger entry ("KIND:bet id").
-- Whether a selection wins with a final score: the rule of each market (selectionWins in
-- server/catalog/markets.shared.ts is the same, and a test holds the two equal). Total goals lines are half lines.
CREATE OR REPLACE FUNCTION selection_wins(p_outcome selection_outcome, p_line numeric, p_home integer, p_away integer)
RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE p_outcome
    WHEN 'HOME' THEN p_home > p_away
    WHEN 'DRAW' THEN p_home = p_away
    WHEN 'AWAY' THEN p_home < p_away
    WHEN 'OVER' THEN p_home + p_away > p_line
    WHEN 'UNDER' THEN p_home + p_away < p_line
    WHEN 'YES' THEN p_home > 0 AND p_away > 0
    WHEN 'NO' THEN p_home = 0 OR p_away = 0
    WHEN 'HOME_OR_DRAW' THEN p_home >= p_away
    WHEN 'HOME_OR_AWAY' THEN p_home <> p_away
    WHEN 'DRAW_OR_AWAY' THEN p_home <= p_away
  END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION settle_match(p_match_id uuid, p_actor uuid DEFAULT NULL)
RETURNS TABLE (match_id uuid, already_settled boolean, bets_settled integer, won integer, lost integer, voided integer, stakes bigint, payouts bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  m matches%ROWTYPE;
  outcome settlements%ROWTYPE;
BEGIN
  -- NO KEY UPDATE like the flusher's completion step; it also queues a concurrent run or result correction.
  SELECT * INTO m FROM matches WHERE id = p_match_id FOR NO KEY UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'match % does not exist', p_match_id USING ERRCODE = 'no_data_found';
  END IF;
  IF m.settlement_state = 'SETTLED' THEN
    RETURN QUERY SELECT m.id, true, 0, 0, 0, 0, 0::bigint, 0::bigint;
    RETURN;
  END IF;
  IF m.settlement_state <> 'COMPLETE' THEN
    RAISE EXCEPTION 'match % is not COMPLETE (status %, settlement state %): bets accepted before the close may not all be in PostgreSQL yet',
      p_match_id, m.status, m.settlement_state
      USING ERRCODE = 'BM001', HINT = 'Close betting, then wait until every partition''s completion marker is applied.';
  END IF;
  IF EXISTS (SELECT 1 FROM quarantined_entries q WHERE q.resolution IS NULL AND (q.match_id = p_match_id OR q.match_id IS NULL)) THEN
    RAISE EXCEPTION 'match % has accepted bets in quarantine: PostgreSQL refused their log entries, so they are not in bets yet', p_match_id
      USING ERRCODE = 'BM003', HINT = 'Resolve them on the back office''s write-behind page (record or refund), then settle.';
  END IF;
  IF NOT m.result_void AND m.result_selection_id IS NULL AND m.result_home_score IS NULL THEN
    RAISE EXCEPTION 'match % has no result', p_match_id USING ERRCODE = 'BM002', HINT = 'Record the score (or a winner, or void) first.';
  END IF;

  WITH decided AS (
    -- Each bet by its market's rule: void match or voided market returns the stake; a winner selection (match
    -- result only) or the score decides the rest.
    SELECT b.id,
      CASE WHEN m.result_void OR mk.voided THEN 'VOID'
           WHEN m.result_selection_id IS NOT NULL THEN CASE WHEN b.selection_id = m.result_selection_id THEN 'WON' ELSE 'LOST' END
           WHEN selection_wins(s.outcome, mk.line, m.result_home_score, m.result_away_score) THEN 'WON'
           ELSE 'LOST' END::bet_status AS status
    FROM bets b JOIN selections s ON s.id = b.selection_id JOIN markets mk ON mk.id = s.market_id
    WHERE b.match_id = p_match_id AND b.status = 'RECORDED'
  ),
  settled AS (
    UPDATE bets b
    SET status = d.status,
        payout = CASE d.status WHEN 'VOID' THEN b.stake WHEN 'WON' THEN b.stake * b.odds / 100 ELSE 0 END,
        settled_at = now()
    FROM decided d
    WHERE b.id = d.id
    RETURNING b.id, b.user_id, b.stake, b.payout, b.status
  ),
  moves AS (
    SELECT s.id, s.user_id, 'STAKE_RETURN'::ledger_entry_kind AS kind, s.stake AS amount, 'STAKES'::account_kind AS source
    FROM settled s WHERE s.status IN ('WON', 'VOID')
    UNION ALL
    SELECT s.id, s.user_id, 'WINNINGS', s.payout - s.stake, 'HOUSE' FROM settled s WHERE s.status = 'WON' AND s.payout > s.stake
    UNION ALL
    SELECT s.id, s.user_id, 'STAKE_LOST', s.stake, 'STAKES' FROM settled s WHERE s.status = 'LOST'
  ),
  entries AS (
    -- One statement, so the ledger trigger updates each account once. A bettor without a customer account makes
    -- to_account_id NULL and fails the whole payout rather than skip a credit.
    INSERT INTO ledger_entries (kind, reference, from_account_id, to_account_id, amount)
    SELECT mv.kind, mv.id::text,
      (SELECT a.id FROM accounts a WHERE a.kind = mv.source),
      CASE WHEN mv.kind = 'STAKE_LOST' THEN (SELECT a.id FROM accounts a WHERE a.kind = 'HOUSE')
           ELSE (SELECT a.id FROM accounts a WHERE a.kind = 'CUSTOMER' AND a.user_id = mv.user_id) END,
      mv.amount
    FROM moves mv
    RETURNING ledger_entries.kind, ledger_entries.reference, ledger_entries.to_account_id, ledger_entries.amount
  ),
  credits AS (
    INSERT INTO outbox (topic, aggregate_type, aggregate_id, payload)
    SELECT 'wallet.credit', 'wallet', a.user_id::text,
      jsonb_build_object('userId', a.user_id, 'amount', e.amount, 'entry', e.kind || ':' || e.reference)
    FROM entries e JOIN accounts a ON a.id = e.to_account_id AND a.kind = 'CUSTOMER'
    RETURNING 1
  )
  INSERT INTO settlements (match_id, winner_selection_id, is_void, home_score, away_score, bets_settled, won, lost, voided, stakes, payouts, settled_by)
  SELECT p_match_id, m.result_selection_id, m.result_void, m.result_home_score, m.result_away_score, count(*),
    count(*) FILTER (WHERE s.status = 'WON'), count(*) FILTER (WHERE s.status = 'LOST'), count(*) FILTER (WHERE s.status = 'VOID'),
    coalesce(sum(s.stake), 0), coalesce(sum(s.payout), 0), p_actor
  FROM settled s -- data-modifying CTEs (entries, credits) always run to completion, referenced or not
  RETURNING * INTO outcome;

  UPDATE matches SET settlement_state = 'SETTLED', settled_at = now(), version = version + 1, updated_at = now() WHERE id = p_match_id;
  INSERT INTO audit_log (actor_user_id, action, entity_type, entity_id, before, after)
  VALUES (p_actor, 'match.settle', 'match', p_match_id::text, jsonb_build_object('settlementState', 'COMPLETE'),
    jsonb_build_object('settlementState', 'SETTLED', 'betsSettled', outcome.bets_settled, 'won', outcome.won, 'lost', outcome.lost,
      'voided', outcome.voided, 'stakes', outcome.stakes, 'payouts', outcome.payouts));
  -- Caches learn the new settlement state from the relay, which reloads the match root (see outbox/events.ts).
  INSERT INTO outbox (topic, aggregate_type, aggregate_id, payload)
  VALUES ('catalog.match-settled', 'catalog', p_match_id::text, jsonb_build_object('matchId', p_match_id));
  PERFORM pg_notify('outbox', '');

  RETURN QUERY SELECT p_match_id, false, outcome.bets_settled, outcome.won, outcome.lost, outcome.voided, outcome.stakes, outcome.payouts;
END $$;
