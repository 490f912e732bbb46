CREATE TABLE `email_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`profile_id` text,
	`kind` text NOT NULL,
	`to_address` text NOT NULL,
	`subject` text NOT NULL,
	`text` text NOT NULL,
	`html` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`next_attempt_at` integer NOT NULL,
	`provider_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE INDEX `email_outbox_due_idx` ON `email_outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `email_outbox_profile_idx` ON `email_outbox` (`profile_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `gallery_share_links` (
	`id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`studio_id` text NOT NULL,
	`collection_id` text NOT NULL,
	`member_id` text NOT NULL,
	`email` text NOT NULL,
	`level` text NOT NULL,
	`email_id` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`used_by_profile_id` text,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `gallery_share_links_token_uq` ON `gallery_share_links` (`token_hash`);--> statement-breakpoint
CREATE INDEX `gallery_share_links_member_idx` ON `gallery_share_links` (`collection_id`,`member_id`);--> statement-breakpoint
ALTER TABLE `profiles` ADD `email_verified_at` integer;