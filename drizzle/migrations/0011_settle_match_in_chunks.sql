-- Installs the current text of drizzle/sql/settle_match.sql (npm run db:sql-migration).
-- This migration may have run on databases: change the source file and generate a new one instead.
-- settle_match becomes a procedure (it commits between chunks): the function of that name goes first.
DROP FUNCTION IF EXISTS settle_match(uuid, uuid);
--> statement-breakpoint
-- The payout: settles every bet of one match and pays the winners. This is the current text of its functions and
-- procedure, which migrations install (README: "SQL as source").
-- Run by the settlement job and by a person with `psql -v match_id=... -f drizzle/settle-match.sql`, as one
-- `CALL settle_match(match_id, actor)` outside a transaction block: the procedure commits as it goes.
--   * a first short transaction locks the match row and checks the gates: it refuses a match that is not COMPLETE
--     (SQLSTATE BM001) or has no result (BM002): COMPLETE means every partition's completion marker has been
--     applied, so every bet accepted before the close is in `bets`; it refuses a match with an unresolved
--     quarantined log entry (BM003): that bet was accepted but is not in `bets` (an entry whose match cannot be read
--     blocks every payout, since it may be any match's). It then marks the payout begun (matches.payout_started_at),
--     after which the result and the markets are final (record-result.ts and void-market.ts refuse changes);
--   * then the bets, in chunks of p_chunk_size, each chunk its own transaction that settles only bets still RECORDED
--     (legs still OPEN), with its own ledger statement and a settlement_chunks row of what it did; the match row is
--     not locked by a chunk (only KEY SHARE, by the chunk row's foreign key), so no staff action waits on a payout
--     for longer than its first or last transaction;
--   * a last short transaction locks the match row again and writes the settlements row (the sums of the chunk
--     rows, so a payout resumed after a crash counts each bet once), SETTLED, the audit and the outbox event;
--   * idempotent and resumable: a SETTLED match returns already_settled and pays nothing; a payout that stopped
--     half-way (a crash, a killed worker, p_max_chunks) is resumed by the next run, which skips the gates that held
--     when it began and settles what is left; two runs at once each settle what the other has not (row locks) and
--     the second to finish returns already_settled;
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
-- The payout's first transaction: locks the match row, and on a first run checks the gates and marks the payout
-- begun. True when the match is SETTLED already. A payout begun before (crashed, or running now) is resumed
-- without the gates: they held when it began, and a quarantined entry that appeared since (one naming no match)
-- cannot be a bet of this match, whose completion markers were applied before it began.
CREATE OR REPLACE FUNCTION settle_match_begin(p_match_id uuid)
RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  m matches%ROWTYPE;
BEGIN
  -- NO KEY UPDATE like the flusher's completion step; it also queues a result correction or a market void.
  SELECT * INTO m FROM matches WHERE id = p_match_id FOR NO KEY UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'match % does not exist', p_match_id USING ERRCODE = 'no_data_found';
  END IF;
  IF m.settlement_state = 'SETTLED' THEN
    RETURN true;
  END IF;
  IF m.payout_started_at IS NOT NULL THEN
    RETURN false;
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
  UPDATE matches SET payout_started_at = now() WHERE id = p_match_id;
  RETURN false;
END $$;
--> statement-breakpoint
-- One chunk of a payout, in the caller's transaction: the singles of p_singles and the accumulators of
-- p_accumulators (those with a leg on this match) that are still RECORDED, so running a chunk again pays nothing
-- twice. Returns how many bets it settled. Every ledger entry of the chunk is one statement, so the ledger trigger
-- updates each account once per chunk.
CREATE OR REPLACE FUNCTION settle_match_chunk(p_match_id uuid, p_singles uuid[], p_accumulators uuid[])
RETURNS integer
LANGUAGE plpgsql
-- A chunk's bets by their primary key, whatever the chunk's share of the table: a custom plan for the first calls
-- could scan the whole bets table for each chunk when the match holds most of its rows.
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
DECLARE
  -- Looked up once: per row, a lookup by a kind only known at run time cannot use the partial index on kind.
  stakes_account uuid := (SELECT a.id FROM accounts a WHERE a.kind = 'STAKES');
  house_account uuid := (SELECT a.id FROM accounts a WHERE a.kind = 'HOUSE');
  chunk settlement_chunks%ROWTYPE;
BEGIN
  IF cardinality(p_accumulators) > 0 THEN
    -- Locked in one order (by id): two payouts deciding legs of the same accumulators queue rather than deadlock,
    -- and the later one sees the legs the earlier one decided.
    PERFORM 1 FROM bets b WHERE b.id = ANY (p_accumulators) AND b.status = 'RECORDED' ORDER BY b.id FOR UPDATE;
    UPDATE bet_legs l SET result = r.result
    FROM selection_results(p_match_id) r
    WHERE l.bet_id = ANY (p_accumulators) AND l.match_id = p_match_id AND l.selection_id = r.selection_id AND l.result = 'OPEN';
  END IF;

  WITH results AS MATERIALIZED (
    SELECT * FROM selection_results(p_match_id)
  ),
  singles AS (
    UPDATE bets b
    SET status = r.result::text::bet_status,
        payout = CASE r.result WHEN 'VOID' THEN b.stake WHEN 'WON' THEN b.stake * b.odds / 100 ELSE 0 END,
        settled_at = now()
    FROM results r
    WHERE b.id = ANY (p_singles) AND b.match_id = p_match_id AND b.status = 'RECORDED' AND b.selection_id = r.selection_id
    RETURNING b.id, b.user_id, b.stake, b.payout, b.status
  ),
  decided AS (
    -- An accumulator is decided by this payout if it has a leg here and now either a lost leg (lost at the first
    -- one) or no open leg: won, or void if every leg is void.
    SELECT b.id,
      CASE WHEN bool_or(l.result = 'LOST') THEN 'LOST' WHEN bool_and(l.result = 'VOID') THEN 'VOID' ELSE 'WON' END::bet_status AS status
    FROM bets b JOIN bet_legs l ON l.bet_id = b.id
    WHERE b.id = ANY (p_accumulators) AND b.status = 'RECORDED'
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
    SELECT s.id, s.user_id, 'STAKE_RETURN'::ledger_entry_kind AS kind, s.stake AS amount
    FROM settled s WHERE s.status IN ('WON', 'VOID')
    UNION ALL
    SELECT s.id, s.user_id, 'WINNINGS', s.payout - s.stake FROM settled s WHERE s.status = 'WON' AND s.payout > s.stake
    UNION ALL
    SELECT s.id, s.user_id, 'STAKE_LOST', s.stake FROM settled s WHERE s.status = 'LOST'
  ),
  entries AS (
    -- One statement, so the ledger trigger updates each account once. A bettor without a customer account makes
    -- to_account_id NULL and fails the chunk rather than skip a credit.
    INSERT INTO ledger_entries (kind, reference, from_account_id, to_account_id, amount)
    SELECT mv.kind, mv.id::text,
      CASE WHEN mv.kind = 'WINNINGS' THEN house_account ELSE stakes_account END,
      CASE WHEN mv.kind = 'STAKE_LOST' THEN house_account ELSE c.id END,
      mv.amount
    FROM moves mv LEFT JOIN accounts c ON c.kind = 'CUSTOMER' AND c.user_id = mv.user_id AND mv.kind <> 'STAKE_LOST'
    RETURNING 1
  ),
  credits AS (
    -- The customer's credits of the entries above, in the same statement: both are written or neither.
    INSERT INTO outbox (topic, aggregate_type, aggregate_id, payload)
    SELECT 'wallet.credit', 'wallet', mv.user_id::text,
      jsonb_build_object('userId', mv.user_id, 'amount', mv.amount, 'entry', mv.kind || ':' || mv.id)
    FROM moves mv WHERE mv.kind <> 'STAKE_LOST'
    RETURNING 1
  )
  SELECT count(*), count(*) FILTER (WHERE s.status = 'WON'), count(*) FILTER (WHERE s.status = 'LOST'),
    count(*) FILTER (WHERE s.status = 'VOID'), coalesce(sum(s.stake), 0), coalesce(sum(s.payout), 0)
  INTO chunk.bets_settled, chunk.won, chunk.lost, chunk.voided, chunk.stakes, chunk.payouts
  FROM settled s; -- data-modifying CTEs (entries, credits) always run to completion, referenced or not

  IF chunk.bets_settled > 0 THEN
    INSERT INTO settlement_chunks (match_id, bets_settled, won, lost, voided, stakes, payouts)
    VALUES (p_match_id, chunk.bets_settled, chunk.won, chunk.lost, chunk.voided, chunk.stakes, chunk.payouts);
  END IF;
  RETURN chunk.bets_settled;
END $$;
--> statement-breakpoint
-- The payout's last transaction: every bet decided, it writes the settlements row from the chunks' rows, flips the
-- match to SETTLED, audits and announces it. NULL when another run finished first.
CREATE OR REPLACE FUNCTION settle_match_finish(p_match_id uuid, p_actor uuid)
RETURNS settlements
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  m matches%ROWTYPE;
  outcome settlements%ROWTYPE;
BEGIN
  -- Before the match row is locked (nothing can add a RECORDED bet to a COMPLETE match): the chunks missed nothing.
  IF EXISTS (SELECT 1 FROM bets b WHERE b.match_id = p_match_id AND b.status = 'RECORDED')
     OR EXISTS (SELECT 1 FROM bet_legs l WHERE l.match_id = p_match_id AND l.result = 'OPEN') THEN
    RAISE EXCEPTION 'match %: bets left undecided after the payout''s chunks', p_match_id USING ERRCODE = 'internal_error';
  END IF;
  SELECT * INTO m FROM matches WHERE id = p_match_id FOR NO KEY UPDATE;
  IF m.settlement_state = 'SETTLED' THEN
    RETURN NULL;
  END IF;
  INSERT INTO settlements (match_id, winner_selection_id, is_void, home_score, away_score, bets_settled, won, lost, voided, stakes, payouts, settled_by)
  SELECT p_match_id, m.result_selection_id, m.result_void, m.result_home_score, m.result_away_score, coalesce(sum(c.bets_settled), 0),
    coalesce(sum(c.won), 0), coalesce(sum(c.lost), 0), coalesce(sum(c.voided), 0), coalesce(sum(c.stakes), 0), coalesce(sum(c.payouts), 0), p_actor
  FROM settlement_chunks c WHERE c.match_id = p_match_id
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
  RETURN outcome;
END $$;
--> statement-breakpoint
-- The payout, whole: CALL settle_match(match_id, actor) outside a transaction block (it commits after its first
-- transaction and after each chunk). Returns one row: already_settled, and the settlements row's counts and totals
-- (of the whole payout, resumed or not). p_max_chunks stops it after that many chunks, the match left with its
-- payout begun and the totals NULL: for tests, which resume it with a second CALL.
CREATE OR REPLACE PROCEDURE settle_match(
  p_match_id uuid,
  p_actor uuid DEFAULT NULL,
  p_chunk_size integer DEFAULT 5000,
  p_max_chunks integer DEFAULT NULL,
  INOUT match_id uuid DEFAULT NULL,
  INOUT already_settled boolean DEFAULT NULL,
  INOUT bets_settled integer DEFAULT NULL,
  INOUT won integer DEFAULT NULL,
  INOUT lost integer DEFAULT NULL,
  INOUT voided integer DEFAULT NULL,
  INOUT stakes bigint DEFAULT NULL,
  INOUT payouts bigint DEFAULT NULL)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  singles uuid[];
  accumulators uuid[];
  singles_count integer;
  done integer := 0;
  chunks integer := 0;
  outcome settlements%ROWTYPE;
BEGIN
  IF p_chunk_size IS NULL OR p_chunk_size < 1 THEN
    RAISE EXCEPTION 'chunk size must be at least 1 (got %)', p_chunk_size USING ERRCODE = 'invalid_parameter_value';
  END IF;
  match_id := p_match_id;
  already_settled := settle_match_begin(p_match_id);
  COMMIT;
  IF already_settled THEN
    SELECT 0, 0, 0, 0, 0, 0 INTO bets_settled, won, lost, voided, stakes, payouts;
    RETURN;
  END IF;

  -- What is left to decide, in id order (so every payout locks accumulators in the same order). A bet that another
  -- run settles meanwhile is skipped by its chunk, which settles only what is still RECORDED.
  singles := ARRAY(SELECT b.id FROM bets b WHERE b.match_id = p_match_id AND b.status = 'RECORDED' ORDER BY b.id);
  accumulators := ARRAY(SELECT DISTINCT l.bet_id FROM bet_legs l WHERE l.match_id = p_match_id AND l.result = 'OPEN' ORDER BY l.bet_id);
  singles_count := cardinality(singles);
  -- Chunk k takes positions k * p_chunk_size + 1 .. (k + 1) * p_chunk_size of singles || accumulators.
  WHILE done < singles_count + cardinality(accumulators) LOOP
    IF chunks = p_max_chunks THEN
      RETURN;
    END IF;
    PERFORM settle_match_chunk(p_match_id, singles[done + 1 : done + p_chunk_size],
      accumulators[done + 1 - singles_count : done + p_chunk_size - singles_count]);
    COMMIT;
    done := done + p_chunk_size;
    chunks := chunks + 1;
  END LOOP;

  outcome := settle_match_finish(p_match_id, p_actor);
  COMMIT;
  IF outcome.match_id IS NULL THEN
    -- Another run of this payout finished it first.
    already_settled := true;
    SELECT 0, 0, 0, 0, 0, 0 INTO bets_settled, won, lost, voided, stakes, payouts;
  ELSE
    SELECT outcome.bets_settled, outcome.won, outcome.lost, outcome.voided, outcome.stakes, outcome.payouts
    INTO bets_settled, won, lost, voided, stakes, payouts;
  END IF;
END $$;
