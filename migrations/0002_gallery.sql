CREATE TABLE `categories` (
	`id` text PRIMARY KEY NOT NULL,
	`studio_id` text NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `categories_studio_idx` ON `categories` (`studio_id`,`name`);--> statement-breakpoint
CREATE TABLE `collections` (
	`id` text PRIMARY KEY NOT NULL,
	`studio_id` text NOT NULL,
	`name` text NOT NULL,
	`client_name` text DEFAULT '' NOT NULL,
	`date` text,
	`category_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `collections_studio_idx` ON `collections` (`studio_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `collections_category_idx` ON `collections` (`studio_id`,`category_id`);--> statement-breakpoint
CREATE TABLE `files` (
	`id` text PRIMARY KEY NOT NULL,
	`studio_id` text NOT NULL,
	`collection_id` text NOT NULL,
	`storage_key` text NOT NULL,
	`name` text NOT NULL,
	`content_type` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`client_name` text DEFAULT '' NOT NULL,
	`folder_path` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `files_storage_key_uq` ON `files` (`storage_key`);--> statement-breakpoint
CREATE INDEX `files_collection_idx` ON `files` (`collection_id`,`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `upload_intents` (
	`storage_key` text PRIMARY KEY NOT NULL,
	`owner_kind` text NOT NULL,
	`owner_id` text NOT NULL,
	`declared_size` integer NOT NULL,
	`content_type` text NOT NULL,
	`meta` text DEFAULT '{}' NOT NULL,
	`claim_id` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `upload_intents_owner_idx` ON `upload_intents` (`owner_kind`,`owner_id`);--> statement-breakpoint
CREATE INDEX `upload_intents_expires_idx` ON `upload_intents` (`expires_at`);