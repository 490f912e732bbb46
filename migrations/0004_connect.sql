CREATE TABLE `connect_codes` (
	`code_hash` text PRIMARY KEY NOT NULL,
	`app_id` text NOT NULL,
	`profile_id` text NOT NULL,
	`state` text,
	`code_challenge` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`reused_at` integer,
	`issued_key_ids` text
);
--> statement-breakpoint
CREATE INDEX `connect_codes_expiry_idx` ON `connect_codes` (`expires_at`);--> statement-breakpoint
CREATE TABLE `connect_events` (
	`app_id` text NOT NULL,
	`day` integer NOT NULL,
	`kind` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`app_id`, `day`, `kind`)
);
--> statement-breakpoint
CREATE TABLE `partner_apps` (
	`id` text PRIMARY KEY NOT NULL,
	`client_id` text NOT NULL,
	`client_secret_hash` text NOT NULL,
	`owner_profile_id` text NOT NULL,
	`name` text NOT NULL,
	`product_type` text NOT NULL,
	`redirect_uris` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `partner_apps_client_uq` ON `partner_apps` (`client_id`);--> statement-breakpoint
CREATE INDEX `partner_apps_owner_idx` ON `partner_apps` (`owner_profile_id`);--> statement-breakpoint
CREATE TABLE `partner_links` (
	`app_id` text NOT NULL,
	`profile_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_connected_at` integer NOT NULL,
	PRIMARY KEY(`app_id`, `profile_id`)
);
--> statement-breakpoint
CREATE INDEX `partner_links_profile_idx` ON `partner_links` (`profile_id`);