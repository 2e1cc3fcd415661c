ALTER TABLE "users" ADD COLUMN "stake_factor_percent" smallint DEFAULT 100 NOT NULL;--> statement-breakpoint
ALTER TABLE "matches" ADD COLUMN "max_liability" bigint;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_stake_factor_range" CHECK ("users"."stake_factor_percent" BETWEEN 1 AND 100);--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_max_liability_range" CHECK ("matches"."max_liability" BETWEEN 0 AND 9000000000);