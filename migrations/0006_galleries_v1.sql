CREATE TABLE `gallery_folders` (
	`collection_id` text NOT NULL,
	`path` text NOT NULL,
	`studio_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`collection_id`, `path`)
);
--> statement-breakpoint
CREATE TABLE `gallery_metadata` (
	`collection_id` text NOT NULL,
	`field_id` text NOT NULL,
	`studio_id` text NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`collection_id`, `field_id`)
);
--> statement-breakpoint
CREATE INDEX `gallery_metadata_field_idx` ON `gallery_metadata` (`field_id`);--> statement-breakpoint
CREATE TABLE `gallery_team_rights` (
	`collection_id` text NOT NULL,
	`team_id` text NOT NULL,
	`studio_id` text NOT NULL,
	`level` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`collection_id`, `team_id`)
);
--> statement-breakpoint
CREATE INDEX `gallery_team_rights_team_idx` ON `gallery_team_rights` (`team_id`);--> statement-breakpoint
CREATE TABLE `members` (
	`id` text PRIMARY KEY NOT NULL,
	`studio_id` text NOT NULL,
	`email` text NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`manager` integer DEFAULT false NOT NULL,
	`own_team_id` text NOT NULL,
	`key_hash` text,
	`key_prefix` text,
	`key_last4` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `members_studio_email_uq` ON `members` (`studio_id`,`email`);--> statement-breakpoint
CREATE UNIQUE INDEX `members_key_hash_uq` ON `members` (`key_hash`);--> statement-breakpoint
CREATE INDEX `members_email_idx` ON `members` (`email`);--> statement-breakpoint
CREATE TABLE `metadata_fields` (
	`id` text PRIMARY KEY NOT NULL,
	`studio_id` text NOT NULL,
	`name` text NOT NULL,
	`field_type` text NOT NULL,
	`options` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `metadata_fields_studio_name_uq` ON `metadata_fields` (`studio_id`,`name`);--> statement-breakpoint
CREATE TABLE `team_members` (
	`team_id` text NOT NULL,
	`member_id` text NOT NULL,
	`studio_id` text NOT NULL,
	PRIMARY KEY(`team_id`, `member_id`)
);
--> statement-breakpoint
CREATE INDEX `team_members_member_idx` ON `team_members` (`member_id`);--> statement-breakpoint
CREATE TABLE `teams` (
	`id` text PRIMARY KEY NOT NULL,
	`studio_id` text NOT NULL,
	`name` text NOT NULL,
	`own_member_id` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `teams_studio_idx` ON `teams` (`studio_id`,`name`);--> statement-breakpoint
DROP INDEX `files_storage_key_uq`;--> statement-breakpoint
ALTER TABLE `files` ADD `linked_from` text;--> statement-breakpoint
CREATE UNIQUE INDEX `files_collection_key_uq` ON `files` (`collection_id`,`storage_key`);--> statement-breakpoint
CREATE INDEX `files_key_idx` ON `files` (`storage_key`);--> statement-breakpoint
CREATE INDEX `files_folder_idx` ON `files` (`collection_id`,`folder_path`);--> statement-breakpoint
CREATE UNIQUE INDEX `files_storage_key_uq` ON `files` (`storage_key`) WHERE linked_from IS NULL;--> statement-breakpoint
-- The v1 galleries API is open to every Client Gallery plan; plans differ by storage.
UPDATE `plans` SET `features` = '["3 GB storage","Unlimited collections","Client download links","v1 galleries API, teams and access rights"]' WHERE `id` = 'plan_cg_free';--> statement-breakpoint
UPDATE `plans` SET `features` = '["100 GB storage","Custom categories","Presigned direct uploads","v1 galleries API, teams and access rights","Priority support"]' WHERE `id` IN ('plan_cg_pro', 'plan_cg_pro_annual');--> statement-breakpoint
UPDATE `plans` SET `description` = 'For studios with large archives.', `features` = '["1 TB storage","Custom categories","Presigned direct uploads","v1 galleries API, teams and access rights","Priority support"]' WHERE `id` = 'plan_cg_studio';
