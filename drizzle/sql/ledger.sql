-- The ledger's integrity lives in the database, so no code path (app, worker, psql payout) can bypass it.
-- The current text of its functions and triggers, which migrations install (README: "SQL as source").

-- Every entry moves money between two accounts of one currency. Balances are applied once per statement, not per
-- row: a flush batch inserts hundreds of STAKE entries that all credit the one STAKES account, and row by row every
-- flusher held that row's lock for the whole batch and left a dead row version per entry, so partitions flushed one
-- after another. Per statement, each account is updated once with the batch's net movement; the accounts' CHECK
-- constraints (no customer balance below zero) apply to that net result.
CREATE OR REPLACE FUNCTION ledger_entries_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  mixed bigint;
BEGIN
  SELECT e.id INTO mixed
  FROM new_entries e
  JOIN accounts f ON f.id = e.from_account_id
  JOIN accounts t ON t.id = e.to_account_id
  WHERE f.currency <> t.currency
  LIMIT 1;
  IF mixed IS NOT NULL THEN
    RAISE EXCEPTION 'ledger entry % moves money between currencies', mixed USING ERRCODE = 'check_violation';
  END IF;
  -- Lock in id order so two statements touching the same accounts (a flush and a payout) never deadlock;
  -- NO KEY UPDATE leaves concurrent foreign-key checks (KEY SHARE) unblocked.
  PERFORM 1 FROM accounts
  WHERE id IN (SELECT from_account_id FROM new_entries UNION SELECT to_account_id FROM new_entries)
  ORDER BY id
  FOR NO KEY UPDATE;
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
