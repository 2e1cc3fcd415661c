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
