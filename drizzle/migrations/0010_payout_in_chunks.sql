CREATE TABLE "settlement_chunks" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"match_id" uuid NOT NULL,
	"bets_settled" integer NOT NULL,
	"won" integer NOT NULL,
	"lost" integer NOT NULL,
	"voided" integer NOT NULL,
	"stakes" bigint NOT NULL,
	"payouts" bigint NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	CONSTRAINT "settlement_chunks_counts" CHECK ("settlement_chunks"."bets_settled" = "settlement_chunks"."won" + "settlement_chunks"."lost" + "settlement_chunks"."voided")
);
--> statement-breakpoint
ALTER TABLE "matches" ADD COLUMN "payout_started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "settlement_chunks" ADD CONSTRAINT "settlement_chunks_match_id_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."matches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "settlement_chunks_match_idx" ON "settlement_chunks" USING btree ("match_id");--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_payout_started_when_complete" CHECK ("matches"."payout_started_at" IS NULL OR "matches"."settlement_state" <> 'INCOMPLETE');