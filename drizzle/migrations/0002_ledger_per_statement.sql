-- Apply ledger entries to balances once per statement instead of once per row. A flush batch inserts hundreds of
-- STAKE entries that all credit the one STAKES account: row by row, every flusher held that row's lock for the
-- whole batch and left a dead row version per entry, so partitions flushed one after another. Per statement,
-- each account is updated once with the batch's net movement. Balance CHECKs apply to that net result.
DROP TRIGGER ledger_entries_apply ON ledger_entries;
--> statement-breakpoint
DROP FUNCTION ledger_entry_apply();
--> statement-breakpoint
CREATE FUNCTION ledger_entries_apply() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER ledger_entries_apply AFTER INSERT ON ledger_entries
  REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_apply();
