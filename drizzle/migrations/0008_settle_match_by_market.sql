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
--   * an accumulator's legs on this match are decided here; the accumulator is settled by the payout that decides
--     its last leg (or its first lost leg), so each match's gate still holds for every leg;
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
-- Every selection of a match with its result: VOID for a voided match or market, else by the winner selection (a
-- match-result-only match) or by the score.
CREATE OR REPLACE FUNCTION selection_results(p_match_id uuid)
RETURNS TABLE (selection_id uuid, result leg_result)
LANGUAGE sql STABLE AS $$
  SELECT s.id,
    CASE WHEN m.result_void OR mk.voided THEN 'VOID'
         WHEN m.result_selection_id IS NOT NULL THEN CASE WHEN s.id = m.result_selection_id THEN 'WON' ELSE 'LOST' END
         WHEN selection_wins(s.outcome, mk.line, m.result_home_score, m.result_away_score) THEN 'WON'
         ELSE 'LOST' END::leg_result
  FROM matches m JOIN markets mk ON mk.match_id = m.id JOIN selections s ON s.market_id = mk.id
  WHERE m.id = p_match_id
$$;
--> statement-breakpoint
-- A won accumulator's payout: floor(stake x the product of its won legs' odds), void legs counting 1.00, exactly
-- (numeric, not floating point).
CREATE OR REPLACE FUNCTION accumulator_payout(p_bet_id uuid, p_stake bigint)
RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
DECLARE
  amount numeric := p_stake;
  leg record;
BEGIN
  FOR leg IN SELECT l.odds FROM bet_legs l WHERE l.bet_id = p_bet_id AND l.result = 'WON' LOOP
    amount := amount * leg.odds / 100;
  END LOOP;
  RETURN floor(amount);
END $$;
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

  -- Accumulators with a leg on this match, locked in one order (by id): two payouts deciding legs of the same
  -- accumulators queue rather than deadlock, and the later one sees the legs the earlier one decided.
  PERFORM 1 FROM bets b
  WHERE b.status = 'RECORDED' AND b.id IN (SELECT l.bet_id FROM bet_legs l WHERE l.match_id = p_match_id)
  ORDER BY b.id FOR UPDATE;
  UPDATE bet_legs l SET result = r.result
  FROM selection_results(p_match_id) r
  WHERE l.match_id = p_match_id AND l.selection_id = r.selection_id AND l.result = 'OPEN';

  WITH singles AS (
    UPDATE bets b
    SET status = r.result::text::bet_status,
        payout = CASE r.result WHEN 'VOID' THEN b.stake WHEN 'WON' THEN b.stake * b.odds / 100 ELSE 0 END,
        settled_at = now()
    FROM selection_results(p_match_id) r
    WHERE b.match_id = p_match_id AND b.status = 'RECORDED' AND b.selection_id = r.selection_id
    RETURNING b.id, b.user_id, b.stake, b.payout, b.status
  ),
  decided AS (
    -- An accumulator is decided by this payout if it has a leg here and now either a lost leg (lost at the first
    -- one) or no open leg: won, or void if every leg is void.
    SELECT b.id,
      CASE WHEN bool_or(l.result = 'LOST') THEN 'LOST' WHEN bool_and(l.result = 'VOID') THEN 'VOID' ELSE 'WON' END::bet_status AS status
    FROM bets b JOIN bet_legs l ON l.bet_id = b.id
    WHERE b.status = 'RECORDED' AND b.id IN (SELECT l2.bet_id FROM bet_legs l2 WHERE l2.match_id = p_match_id)
    GROUP BY b.id
    HAVING bool_or(l.result = 'LOST') OR NOT bool_or(l.result = 'OPEN')
  ),
  accumulators AS (
    UPDATE bets b
    SET status = d.status,
        payout = CASE d.status WHEN 'LOST' THEN 0 WHEN 'VOID' THEN b.stake ELSE accumulator_payout(b.id, b.stake) END,
        settled_at = now()
    FROM decided d
    WHERE b.id = d.id
    RETURNING b.id, b.user_id, b.stake, b.payout, b.status
  ),
  settled AS (
    SELECT * FROM singles UNION ALL SELECT * FROM accumulators
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
