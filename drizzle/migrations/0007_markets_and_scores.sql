CREATE TYPE "public"."market_type" AS ENUM('MATCH_RESULT', 'TOTAL_GOALS', 'BOTH_TEAMS_TO_SCORE', 'DOUBLE_CHANCE');--> statement-breakpoint
CREATE TYPE "public"."selection_outcome" AS ENUM('HOME', 'DRAW', 'AWAY', 'OVER', 'UNDER', 'YES', 'NO', 'HOME_OR_DRAW', 'HOME_OR_AWAY', 'DRAW_OR_AWAY');--> statement-breakpoint
CREATE TYPE "public"."bet_type" AS ENUM('SINGLE', 'ACCUMULATOR');--> statement-breakpoint
CREATE TYPE "public"."leg_result" AS ENUM('OPEN', 'WON', 'LOST', 'VOID');--> statement-breakpoint
ALTER TYPE "public"."ledger_entry_kind" ADD VALUE 'CASH_OUT_STAKE';--> statement-breakpoint
ALTER TYPE "public"."ledger_entry_kind" ADD VALUE 'CASH_OUT';--> statement-breakpoint
ALTER TYPE "public"."bet_status" ADD VALUE 'CASHED_OUT';--> statement-breakpoint
CREATE TABLE "bet_legs" (
	"bet_id" uuid NOT NULL,
	"position" smallint NOT NULL,
	"selection_id" uuid NOT NULL,
	"match_id" uuid NOT NULL,
	"odds" integer NOT NULL,
	"result" "leg_result" DEFAULT 'OPEN' NOT NULL,
	CONSTRAINT "bet_legs_bet_id_position_pk" PRIMARY KEY("bet_id","position"),
	CONSTRAINT "bet_legs_one_per_match" UNIQUE("bet_id","match_id"),
	CONSTRAINT "bet_legs_odds_range" CHECK ("bet_legs"."odds" BETWEEN 101 AND 100000)
);
--> statement-breakpoint
ALTER TABLE "matches" DROP CONSTRAINT "matches_one_result";--> statement-breakpoint
ALTER TABLE "matches" DROP CONSTRAINT "matches_settled_has_result";--> statement-breakpoint
ALTER TABLE "bets" DROP CONSTRAINT "bets_odds_range";--> statement-breakpoint
ALTER TABLE "bets" DROP CONSTRAINT "bets_payout_by_status";--> statement-breakpoint
ALTER TABLE "bets" ALTER COLUMN "selection_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "bets" ALTER COLUMN "match_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "markets" ADD COLUMN "type" "market_type" DEFAULT 'MATCH_RESULT' NOT NULL;--> statement-breakpoint
ALTER TABLE "markets" ADD COLUMN "line" numeric(3, 1);--> statement-breakpoint
ALTER TABLE "markets" ADD COLUMN "voided" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "matches" ADD COLUMN "result_home_score" smallint;--> statement-breakpoint
ALTER TABLE "matches" ADD COLUMN "result_away_score" smallint;--> statement-breakpoint
ALTER TABLE "selections" ADD COLUMN "outcome" "selection_outcome";--> statement-breakpoint
-- Hand-written: every market so far is a match result whose selections are home, draw, away by position.
UPDATE "selections" SET "outcome" = (ARRAY['HOME', 'DRAW', 'AWAY']::"selection_outcome"[])["position" + 1];--> statement-breakpoint
ALTER TABLE "selections" ALTER COLUMN "outcome" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "bets" ADD COLUMN "type" "bet_type" DEFAULT 'SINGLE' NOT NULL;--> statement-breakpoint
ALTER TABLE "settlements" ADD COLUMN "home_score" smallint;--> statement-breakpoint
ALTER TABLE "settlements" ADD COLUMN "away_score" smallint;--> statement-breakpoint
ALTER TABLE "bet_legs" ADD CONSTRAINT "bet_legs_bet_id_bets_id_fk" FOREIGN KEY ("bet_id") REFERENCES "public"."bets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bet_legs" ADD CONSTRAINT "bet_legs_selection_id_selections_id_fk" FOREIGN KEY ("selection_id") REFERENCES "public"."selections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bet_legs" ADD CONSTRAINT "bet_legs_match_id_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."matches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bet_legs_match_idx" ON "bet_legs" USING btree ("match_id");--> statement-breakpoint
ALTER TABLE "selections" ADD CONSTRAINT "selections_market_outcome_key" UNIQUE("market_id","outcome");--> statement-breakpoint
ALTER TABLE "markets" ADD CONSTRAINT "markets_line_iff_total_goals" CHECK (("markets"."type" = 'TOTAL_GOALS') = ("markets"."line" IS NOT NULL));--> statement-breakpoint
ALTER TABLE "markets" ADD CONSTRAINT "markets_half_line" CHECK ("markets"."line" IS NULL OR ("markets"."line" > 0 AND mod("markets"."line" * 2, 2) = 1));--> statement-breakpoint
ALTER TABLE "markets" ADD CONSTRAINT "markets_voided_closed" CHECK (NOT "markets"."voided" OR "markets"."status" = 'CLOSED');--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_score_whole" CHECK (("matches"."result_home_score" IS NULL) = ("matches"."result_away_score" IS NULL) AND "matches"."result_home_score" >= 0 AND "matches"."result_away_score" >= 0);--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_one_result" CHECK (num_nonnulls(nullif("matches"."result_void", false), "matches"."result_selection_id", "matches"."result_home_score") <= 1);--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_settled_has_result" CHECK ("matches"."settlement_state" <> 'SETTLED' OR "matches"."result_void" OR "matches"."result_selection_id" IS NOT NULL OR "matches"."result_home_score" IS NOT NULL);--> statement-breakpoint
ALTER TABLE "bets" ADD CONSTRAINT "bets_single_has_selection" CHECK (("bets"."type" = 'SINGLE') = ("bets"."selection_id" IS NOT NULL AND "bets"."match_id" IS NOT NULL));--> statement-breakpoint
ALTER TABLE "bets" ADD CONSTRAINT "bets_odds_range" CHECK ("bets"."odds" >= 101 AND ("bets"."type" = 'ACCUMULATOR' OR "bets"."odds" <= 100000));--> statement-breakpoint
ALTER TABLE "bets" ADD CONSTRAINT "bets_payout_by_status" CHECK ("bets"."payout" IS NULL
        OR ("bets"."status" = 'LOST' AND "bets"."payout" = 0)
        OR ("bets"."status" = 'VOID' AND "bets"."payout" = "bets"."stake")
        OR ("bets"."status" = 'WON' AND "bets"."type" = 'ACCUMULATOR' AND "bets"."payout" >= "bets"."stake")
        OR ("bets"."status" = 'WON' AND "bets"."payout" = ("bets"."stake" * "bets"."odds") / 100)
        OR ("bets"."status"::text = 'CASHED_OUT' AND "bets"."payout" >= 0));