-- Settles one COMPLETE match and pays its winners, by hand:
--   psql "$DATABASE_URL" -v match_id=<match uuid> -f drizzle/settle-match.sql
-- One transaction. A match that is not COMPLETE, or has no result, is refused with the reason and a non-zero exit
-- (3); running it again on a SETTLED match pays nothing and says already_settled. Same SQL as the settlement job:
-- the function settle_match, defined in drizzle/sql/settle_match.sql.
\set ON_ERROR_STOP on
\if :{?match_id}
\else
  DO $$ BEGIN RAISE EXCEPTION 'usage: psql "$DATABASE_URL" -v match_id=<match uuid> -f drizzle/settle-match.sql'; END $$;
\endif
\x on
BEGIN;
SELECT * FROM settle_match(:'match_id');
COMMIT;
