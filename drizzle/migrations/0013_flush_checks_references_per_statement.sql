-- Installs the current text of drizzle/sql/bet_references.sql, drizzle/sql/ledger.sql (npm run db:sql-migration).
-- This migration may have run on databases: change the source file and generate a new one instead.
-- A bet's user, selection and match exist, and stay: the guarantee of a foreign key, checked once per statement.
-- The current text of these functions and triggers, which migrations install (README: "SQL as source").

-- Per row, three foreign keys each looked up and KEY SHARE-locked their row for every bet of a flush batch (1500
-- lookups for 500 bets, most of them the same few matches and selections), a third of the batch's time. Per
-- statement, each distinct user, selection and match of the new bets is locked once (KEY SHARE, as a foreign key
-- does, in id order), then any bet whose row is missing is refused, SQLSTATE 23503 as a foreign key would (the
-- flusher quarantines such an entry, I9). Locking first makes the check see a row deleted meanwhile;
-- bet_referenced_row (below) refuses deleting a row a bet names.
CREATE OR REPLACE FUNCTION bets_check_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  refused text;
BEGIN
  -- A row deleted before its lock is taken is not locked, so fewer rows locked than named means one is missing.
  IF (SELECT count(*) FROM (SELECT 1 FROM users WHERE id IN (SELECT user_id FROM new_bets) ORDER BY id FOR KEY SHARE) l)
    + (SELECT count(*) FROM (SELECT 1 FROM matches WHERE id IN (SELECT match_id FROM new_bets) ORDER BY id FOR KEY SHARE) l)
    + (SELECT count(*) FROM (SELECT 1 FROM selections WHERE id IN (SELECT selection_id FROM new_bets) ORDER BY id FOR KEY SHARE) l)
    < (SELECT count(DISTINCT user_id) + count(DISTINCT match_id) + count(DISTINCT selection_id) FROM new_bets) THEN
    SELECT 'bet ' || b.id || ' refers to a ' || CASE
        WHEN NOT EXISTS (SELECT 1 FROM users u WHERE u.id = b.user_id) THEN 'user (' || b.user_id
        WHEN b.match_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.id = b.match_id) THEN 'match (' || b.match_id
        ELSE 'selection (' || b.selection_id
      END || ') that does not exist'
    INTO refused
    FROM new_bets b
    WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = b.user_id)
      OR (b.match_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.id = b.match_id))
      OR (b.selection_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM selections s WHERE s.id = b.selection_id))
    LIMIT 1;
    RAISE EXCEPTION '%', coalesce(refused, 'a bet refers to a row that does not exist') USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER bets_check_references AFTER INSERT ON bets
  REFERENCING NEW TABLE AS new_bets FOR EACH STATEMENT EXECUTE FUNCTION bets_check_references();
--> statement-breakpoint
-- The bets' references never change: a bet is written once with its user, selection and match (settlement and
-- cash-out change its status and payout only).
CREATE OR REPLACE FUNCTION bets_references_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'a bet''s user, selection and match never change (bet %)', OLD.id USING ERRCODE = 'foreign_key_violation';
END $$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER bets_references_fixed BEFORE UPDATE OF user_id, selection_id, match_id ON bets
  FOR EACH ROW WHEN (NEW.user_id IS DISTINCT FROM OLD.user_id OR NEW.selection_id IS DISTINCT FROM OLD.selection_id
    OR NEW.match_id IS DISTINCT FROM OLD.match_id)
  EXECUTE FUNCTION bets_references_fixed();
--> statement-breakpoint
-- The other half: a user, selection or match that a bet names is never deleted, nor its id changed.
CREATE OR REPLACE FUNCTION bet_referenced_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION '% cannot be truncated: bets refer to it', TG_TABLE_NAME USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF TG_OP = 'UPDATE' THEN
    IF NEW.id IS DISTINCT FROM OLD.id THEN
      RAISE EXCEPTION 'the id of % % never changes', TG_TABLE_NAME, OLD.id USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
  END IF;
  IF (TG_TABLE_NAME = 'users' AND EXISTS (SELECT 1 FROM bets WHERE user_id = OLD.id))
    OR (TG_TABLE_NAME = 'matches' AND EXISTS (SELECT 1 FROM bets WHERE match_id = OLD.id))
    OR (TG_TABLE_NAME = 'selections' AND EXISTS (SELECT 1 FROM bets WHERE selection_id = OLD.id)) THEN
    RAISE EXCEPTION '% % has bets and cannot be deleted', TG_TABLE_NAME, OLD.id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN OLD;
END $$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER users_bet_referenced BEFORE DELETE OR UPDATE OF id ON users
  FOR EACH ROW EXECUTE FUNCTION bet_referenced_row();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER users_not_truncated BEFORE TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION bet_referenced_row();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER matches_bet_referenced BEFORE DELETE OR UPDATE OF id ON matches
  FOR EACH ROW EXECUTE FUNCTION bet_referenced_row();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER matches_not_truncated BEFORE TRUNCATE ON matches
  FOR EACH STATEMENT EXECUTE FUNCTION bet_referenced_row();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER selections_bet_referenced BEFORE DELETE OR UPDATE OF id ON selections
  FOR EACH ROW EXECUTE FUNCTION bet_referenced_row();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER selections_not_truncated BEFORE TRUNCATE ON selections
  FOR EACH STATEMENT EXECUTE FUNCTION bet_referenced_row();
--> statement-breakpoint
-- The ledger's integrity lives in the database, so no code path (app, worker, psql payout) can bypass it.
-- The current text of its functions and triggers, which migrations install (README: "SQL as source").

-- Every entry moves money between two existing accounts of one currency. Balances are applied once per statement,
-- not per row: a flush batch inserts hundreds of STAKE entries that all credit the one STAKES account, and row by row
-- every flusher held that row's lock for the whole batch and left a dead row version per entry, so partitions flushed
-- one after another. Per statement, each account is updated once with the batch's net movement; the accounts' CHECK
-- constraints (no customer balance below zero) apply to that net result. The entries' references to their accounts
-- are checked here too, per statement, instead of by foreign keys: a foreign key checks (and KEY SHARE-locks) its
-- account once per row, two lookups per entry, about a fifth of a flush batch's time. The accounts are locked first,
-- so the check sees any account deleted meanwhile; accounts_referenced (below) refuses deleting a referenced one.
CREATE OR REPLACE FUNCTION ledger_entries_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad bigint;
  missing boolean;
BEGIN
  -- Lock in id order so two statements touching the same accounts (a flush and a payout) never deadlock.
  PERFORM 1 FROM accounts
  WHERE id IN (SELECT from_account_id FROM new_entries UNION SELECT to_account_id FROM new_entries)
  ORDER BY id
  FOR NO KEY UPDATE;
  SELECT e.id, f.id IS NULL OR t.id IS NULL INTO bad, missing
  FROM new_entries e
  LEFT JOIN accounts f ON f.id = e.from_account_id
  LEFT JOIN accounts t ON t.id = e.to_account_id
  WHERE f.id IS NULL OR t.id IS NULL OR f.currency <> t.currency
  LIMIT 1;
  IF missing THEN
    RAISE EXCEPTION 'ledger entry % refers to an account that does not exist', bad USING ERRCODE = 'foreign_key_violation';
  ELSIF bad IS NOT NULL THEN
    RAISE EXCEPTION 'ledger entry % moves money between currencies', bad USING ERRCODE = 'check_violation';
  END IF;
  UPDATE accounts a SET balance = a.balance + d.delta
  FROM (
    SELECT account_id, sum(delta) AS delta
    FROM (
      SELECT to_account_id AS account_id, amount AS delta FROM new_entries
      UNION ALL
      SELECT from_account_id, -amount FROM new_entries
    ) moves
    GROUP BY account_id
  ) d
  WHERE a.id = d.account_id AND d.delta <> 0;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER ledger_entries_apply AFTER INSERT ON ledger_entries
  REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_apply();
--> statement-breakpoint
-- The ledger is append-only: a correction is a new entry, never an edit.
CREATE OR REPLACE FUNCTION ledger_entry_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger_entries is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER ledger_entries_immutable BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger_entries
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_entry_immutable();
--> statement-breakpoint
-- Balances change only through ledger entries: a direct UPDATE of accounts.balance outside the trigger is refused.
CREATE OR REPLACE FUNCTION account_balance_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.balance IS DISTINCT FROM OLD.balance AND pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'accounts.balance changes only through ledger_entries' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER accounts_balance_guard BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION account_balance_guard();
--> statement-breakpoint
-- The other half of the entries' references (ledger_entries_apply checks the inserted side): an account that an
-- entry names is never deleted, and no account's id ever changes.
CREATE OR REPLACE FUNCTION accounts_referenced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION 'accounts cannot be truncated: ledger entries refer to them' USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF TG_OP = 'UPDATE' THEN
    IF NEW.id IS DISTINCT FROM OLD.id THEN
      RAISE EXCEPTION 'an account''s id never changes (account %)', OLD.id USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
  END IF;
  IF EXISTS (SELECT 1 FROM ledger_entries WHERE from_account_id = OLD.id)
    OR EXISTS (SELECT 1 FROM ledger_entries WHERE to_account_id = OLD.id) THEN
    RAISE EXCEPTION 'account % has ledger entries and cannot be deleted', OLD.id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN OLD;
END $$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER accounts_referenced BEFORE DELETE OR UPDATE OF id ON accounts
  FOR EACH ROW EXECUTE FUNCTION accounts_referenced();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER accounts_not_truncated BEFORE TRUNCATE ON accounts
  FOR EACH STATEMENT EXECUTE FUNCTION accounts_referenced();
