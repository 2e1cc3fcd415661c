-- Ledger integrity lives in the database, so no code path (app, worker, psql payout script) can bypass it.

-- Every entry moves money between two accounts of one currency and updates both balances in the same statement;
-- the accounts' CHECK constraints then refuse a customer balance below zero.
CREATE FUNCTION ledger_entry_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  from_currency text;
  to_currency text;
BEGIN
  UPDATE accounts SET balance = balance - NEW.amount WHERE id = NEW.from_account_id RETURNING currency INTO from_currency;
  UPDATE accounts SET balance = balance + NEW.amount WHERE id = NEW.to_account_id RETURNING currency INTO to_currency;
  IF from_currency IS DISTINCT FROM to_currency THEN
    RAISE EXCEPTION 'ledger entry % moves money between currencies % and %', NEW.id, from_currency, to_currency
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER ledger_entries_apply AFTER INSERT ON ledger_entries FOR EACH ROW EXECUTE FUNCTION ledger_entry_apply();
--> statement-breakpoint
-- The ledger is append-only: a correction is a new entry, never an edit.
CREATE FUNCTION ledger_entry_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger_entries is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
CREATE TRIGGER ledger_entries_immutable BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger_entries
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_entry_immutable();
--> statement-breakpoint
-- Balances change only through ledger entries: a direct UPDATE of accounts.balance outside the trigger is refused.
CREATE FUNCTION account_balance_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.balance IS DISTINCT FROM OLD.balance AND pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'accounts.balance changes only through ledger_entries' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER accounts_balance_guard BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION account_balance_guard();
--> statement-breakpoint
-- The house's own accounts exist from the start; customer accounts are created with their user.
INSERT INTO accounts (kind) VALUES ('CASH'), ('STAKES'), ('HOUSE');
