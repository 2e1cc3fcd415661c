-- Settles one COMPLETE match and pays its winners, by hand:
--   psql "$DATABASE_URL" -v match_id=<match uuid> [-v chunk_size=5000] -f drizzle/settle-match.sql
-- One CALL, outside a transaction block: a short first transaction checks the gates and marks the payout begun,
-- then each chunk of bets commits on its own, then a short last one marks the match SETTLED. A match that is not
-- COMPLETE, or has no result, is refused with the reason and a non-zero exit (3); a payout interrupted half-way is
-- resumed by running this again; running it on a SETTLED match pays nothing and says already_settled. Same SQL as
-- the settlement job: the procedure settle_match, defined in drizzle/sql/settle_match.sql.
\set ON_ERROR_STOP on
\set AUTOCOMMIT on
\if :{?match_id}
\else
  DO $$ BEGIN RAISE EXCEPTION 'usage: psql "$DATABASE_URL" -v match_id=<match uuid> [-v chunk_size=5000] -f drizzle/settle-match.sql'; END $$;
\endif
\if :{?chunk_size}
\else
  \set chunk_size 5000
\endif
\x on
CALL settle_match(:'match_id', NULL, :'chunk_size');
