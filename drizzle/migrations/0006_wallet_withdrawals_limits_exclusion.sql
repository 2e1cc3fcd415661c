CREATE TYPE "public"."deposit_limit_period" AS ENUM('DAILY', 'WEEKLY', 'MONTHLY');--> statement-breakpoint
CREATE TYPE "public"."withdrawal_status" AS ENUM('RECORDED', 'CANCELLED');--> statement-breakpoint
CREATE TABLE "deposit_limits" (
	"user_id" uuid NOT NULL,
	"period" "deposit_limit_period" NOT NULL,
	"amount" bigint,
	"pending_amount" bigint,
	"pending_effective_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deposit_limits_user_id_period_pk" PRIMARY KEY("user_id","period"),
	CONSTRAINT "deposit_limits_amount_positive" CHECK ("deposit_limits"."amount" IS NULL OR "deposit_limits"."amount" > 0),
	CONSTRAINT "deposit_limits_pending_amount_positive" CHECK ("deposit_limits"."pending_amount" IS NULL OR "deposit_limits"."pending_amount" > 0),
	CONSTRAINT "deposit_limits_pending_has_time" CHECK ("deposit_limits"."pending_amount" IS NULL OR "deposit_limits"."pending_effective_at" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "withdrawals" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"idempotency_key" text NOT NULL,
	"status" "withdrawal_status" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "withdrawals_user_idempotency_key" UNIQUE("user_id","idempotency_key"),
	CONSTRAINT "withdrawals_amount_range" CHECK ("withdrawals"."amount" BETWEEN 1 AND 1000000000)
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "excluded_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "deposit_limits" ADD CONSTRAINT "deposit_limits_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "withdrawals" ADD CONSTRAINT "withdrawals_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deposits_user_created_idx" ON "deposits" USING btree ("user_id","created_at");