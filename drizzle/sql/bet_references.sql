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
