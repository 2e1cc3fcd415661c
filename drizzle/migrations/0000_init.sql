CREATE TYPE "public"."user_role" AS ENUM('bettor', 'staff');--> statement-breakpoint
CREATE TYPE "public"."account_kind" AS ENUM('CASH', 'CUSTOMER', 'STAKES', 'HOUSE');--> statement-breakpoint
CREATE TYPE "public"."ledger_entry_kind" AS ENUM('DEPOSIT', 'WITHDRAWAL', 'STAKE', 'STAKE_RETURN', 'STAKE_LOST', 'WINNINGS');--> statement-breakpoint
CREATE TYPE "public"."market_status" AS ENUM('OPEN', 'SUSPENDED', 'CLOSED');--> statement-breakpoint
CREATE TYPE "public"."match_status" AS ENUM('SCHEDULED', 'OPEN', 'SUSPENDED', 'CLOSED');--> statement-breakpoint
CREATE TYPE "public"."settlement_state" AS ENUM('INCOMPLETE', 'COMPLETE', 'SETTLED');--> statement-breakpoint
CREATE TYPE "public"."bet_status" AS ENUM('RECORDED', 'WON', 'LOST', 'VOID');--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" "user_role" DEFAULT 'bettor' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email"),
	CONSTRAINT "users_email_normalised" CHECK ("users"."email" = lower(btrim("users"."email")) AND position('@' in "users"."email") > 1)
);
--> statement-breakpoint
CREATE TABLE "accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "account_kind" NOT NULL,
	"user_id" uuid,
	"currency" text DEFAULT 'EUR' NOT NULL,
	"balance" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accounts_customer_has_user" CHECK (("accounts"."kind" = 'CUSTOMER') = ("accounts"."user_id" IS NOT NULL)),
	CONSTRAINT "accounts_customer_non_negative" CHECK ("accounts"."kind" <> 'CUSTOMER' OR "accounts"."balance" >= 0),
	CONSTRAINT "accounts_stakes_non_negative" CHECK ("accounts"."kind" <> 'STAKES' OR "accounts"."balance" >= 0)
);
--> statement-breakpoint
CREATE TABLE "deposits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"idempotency_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deposits_user_idempotency_key" UNIQUE("user_id","idempotency_key"),
	CONSTRAINT "deposits_amount_range" CHECK ("deposits"."amount" BETWEEN 1 AND 1000000)
);
--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" "ledger_entry_kind" NOT NULL,
	"reference" text NOT NULL,
	"from_account_id" uuid NOT NULL,
	"to_account_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_entries_kind_reference_key" UNIQUE("kind","reference"),
	CONSTRAINT "ledger_entries_amount_positive" CHECK ("ledger_entries"."amount" > 0),
	CONSTRAINT "ledger_entries_distinct_accounts" CHECK ("ledger_entries"."from_account_id" <> "ledger_entries"."to_account_id")
);
--> statement-breakpoint
CREATE TABLE "competitions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sport_id" uuid NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "competitions_sport_name_key" UNIQUE("sport_id","name")
);
--> statement-breakpoint
CREATE TABLE "markets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"match_id" uuid NOT NULL,
	"name" text NOT NULL,
	"status" "market_status" DEFAULT 'OPEN' NOT NULL,
	"position" smallint DEFAULT 0 NOT NULL,
	CONSTRAINT "markets_match_name_key" UNIQUE("match_id","name")
);
--> statement-breakpoint
CREATE TABLE "matches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"competition_id" uuid NOT NULL,
	"home" text NOT NULL,
	"away" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"status" "match_status" DEFAULT 'SCHEDULED' NOT NULL,
	"settlement_state" "settlement_state" DEFAULT 'INCOMPLETE' NOT NULL,
	"result_selection_id" uuid,
	"result_void" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"closed_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"settled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "matches_fixture_key" UNIQUE("competition_id","home","away","starts_at"),
	CONSTRAINT "matches_distinct_teams" CHECK ("matches"."home" <> "matches"."away"),
	CONSTRAINT "matches_version_positive" CHECK ("matches"."version" >= 1),
	CONSTRAINT "matches_one_result" CHECK (NOT ("matches"."result_void" AND "matches"."result_selection_id" IS NOT NULL)),
	CONSTRAINT "matches_complete_only_when_closed" CHECK ("matches"."settlement_state" = 'INCOMPLETE' OR "matches"."status" = 'CLOSED'),
	CONSTRAINT "matches_settled_has_result" CHECK ("matches"."settlement_state" <> 'SETTLED' OR "matches"."result_void" OR "matches"."result_selection_id" IS NOT NULL),
	CONSTRAINT "matches_closed_at_iff_closed" CHECK (("matches"."status" = 'CLOSED') = ("matches"."closed_at" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "selections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"market_id" uuid NOT NULL,
	"name" text NOT NULL,
	"odds" integer NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"position" smallint DEFAULT 0 NOT NULL,
	CONSTRAINT "selections_market_name_key" UNIQUE("market_id","name"),
	CONSTRAINT "selections_odds_range" CHECK ("selections"."odds" BETWEEN 101 AND 100000),
	CONSTRAINT "selections_version_positive" CHECK ("selections"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "sports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "sports_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "bets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"reference" text NOT NULL,
	"user_id" uuid NOT NULL,
	"selection_id" uuid NOT NULL,
	"match_id" uuid NOT NULL,
	"stake" bigint NOT NULL,
	"odds" integer NOT NULL,
	"idempotency_key" text NOT NULL,
	"status" "bet_status" DEFAULT 'RECORDED' NOT NULL,
	"partition" smallint NOT NULL,
	"stream_id" text NOT NULL,
	"accepted_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"settled_at" timestamp with time zone,
	"payout" bigint,
	CONSTRAINT "bets_reference_unique" UNIQUE("reference"),
	CONSTRAINT "bets_user_idempotency_key" UNIQUE("user_id","idempotency_key"),
	CONSTRAINT "bets_stake_positive" CHECK ("bets"."stake" > 0),
	CONSTRAINT "bets_odds_range" CHECK ("bets"."odds" BETWEEN 101 AND 100000),
	CONSTRAINT "bets_settled_fields" CHECK (("bets"."status" = 'RECORDED') = ("bets"."settled_at" IS NULL AND "bets"."payout" IS NULL)),
	CONSTRAINT "bets_payout_by_status" CHECK ("bets"."payout" IS NULL
        OR ("bets"."status" = 'LOST' AND "bets"."payout" = 0)
        OR ("bets"."status" = 'VOID' AND "bets"."payout" = "bets"."stake")
        OR ("bets"."status" = 'WON' AND "bets"."payout" = ("bets"."stake" * "bets"."odds") / 100))
);
--> statement-breakpoint
CREATE TABLE "completion_markers" (
	"match_id" uuid NOT NULL,
	"partition" smallint NOT NULL,
	"stream_id" text NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "completion_markers_match_id_partition_pk" PRIMARY KEY("match_id","partition")
);
--> statement-breakpoint
CREATE TABLE "write_behind_partitions" (
	"partition" smallint PRIMARY KEY NOT NULL,
	"last_stream_id" text DEFAULT '0-0' NOT NULL,
	"fencing_token" bigint DEFAULT 0 NOT NULL,
	"flushed_count" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "write_behind_partitions_partition_range" CHECK ("write_behind_partitions"."partition" >= 0)
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"actor_user_id" uuid,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"topic" text NOT NULL,
	"aggregate_type" text NOT NULL,
	"aggregate_id" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"parked_at" timestamp with time zone,
	CONSTRAINT "outbox_attempts_non_negative" CHECK ("outbox"."attempts" >= 0)
);
--> statement-breakpoint
CREATE TABLE "platform_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deposits" ADD CONSTRAINT "deposits_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_from_account_id_accounts_id_fk" FOREIGN KEY ("from_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_to_account_id_accounts_id_fk" FOREIGN KEY ("to_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "competitions" ADD CONSTRAINT "competitions_sport_id_sports_id_fk" FOREIGN KEY ("sport_id") REFERENCES "public"."sports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "markets" ADD CONSTRAINT "markets_match_id_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."matches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_competition_id_competitions_id_fk" FOREIGN KEY ("competition_id") REFERENCES "public"."competitions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_result_selection_id_selections_id_fk" FOREIGN KEY ("result_selection_id") REFERENCES "public"."selections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "selections" ADD CONSTRAINT "selections_market_id_markets_id_fk" FOREIGN KEY ("market_id") REFERENCES "public"."markets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bets" ADD CONSTRAINT "bets_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bets" ADD CONSTRAINT "bets_selection_id_selections_id_fk" FOREIGN KEY ("selection_id") REFERENCES "public"."selections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bets" ADD CONSTRAINT "bets_match_id_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."matches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "completion_markers" ADD CONSTRAINT "completion_markers_match_id_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."matches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "platform_settings" ADD CONSTRAINT "platform_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sessions_user_id_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_expires_at_idx" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_customer_user_idx" ON "accounts" USING btree ("user_id") WHERE "accounts"."kind" = 'CUSTOMER';--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_house_kind_idx" ON "accounts" USING btree ("kind") WHERE "accounts"."kind" <> 'CUSTOMER';--> statement-breakpoint
CREATE INDEX "ledger_entries_from_idx" ON "ledger_entries" USING btree ("from_account_id");--> statement-breakpoint
CREATE INDEX "ledger_entries_to_idx" ON "ledger_entries" USING btree ("to_account_id");--> statement-breakpoint
CREATE INDEX "matches_starts_at_idx" ON "matches" USING btree ("starts_at");--> statement-breakpoint
CREATE INDEX "bets_user_accepted_idx" ON "bets" USING btree ("user_id","accepted_at");--> statement-breakpoint
CREATE INDEX "bets_match_idx" ON "bets" USING btree ("match_id");--> statement-breakpoint
CREATE INDEX "audit_log_created_at_idx" ON "audit_log" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "outbox" USING btree ("id") WHERE "outbox"."published_at" IS NULL AND "outbox"."parked_at" IS NULL;