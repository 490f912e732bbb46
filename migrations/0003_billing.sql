CREATE TABLE `billing_checkouts` (
	`id` text PRIMARY KEY NOT NULL,
	`profile_id` text NOT NULL,
	`plan_type` text NOT NULL,
	`plan_id` text NOT NULL,
	`session_id` text,
	`status` text DEFAULT 'open' NOT NULL,
	`created_at` integer NOT NULL,
	`completed_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `billing_checkouts_session_uq` ON `billing_checkouts` (`session_id`);--> statement-breakpoint
CREATE INDEX `billing_checkouts_profile_idx` ON `billing_checkouts` (`profile_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `billing_credit_grants` (
	`invoice_id` text PRIMARY KEY NOT NULL,
	`profile_id` text NOT NULL,
	`credits` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `billing_local_objects` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`customer_id` text,
	`data` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `billing_local_objects_customer_idx` ON `billing_local_objects` (`customer_id`,`type`,`created_at`);--> statement-breakpoint
CREATE TABLE `stripe_events` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`created_at` integer NOT NULL,
	`processed_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `stripe_synced_at` integer;