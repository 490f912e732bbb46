CREATE TABLE `drive_files` (
	`id` text PRIMARY KEY NOT NULL,
	`drive_id` text NOT NULL,
	`folder_id` text,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`content_type` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`storage_key` text NOT NULL,
	`deleted_at` integer,
	`trashed_with` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `drive_files_storage_key_uq` ON `drive_files` (`storage_key`);--> statement-breakpoint
CREATE INDEX `drive_files_folder_idx` ON `drive_files` (`drive_id`,`folder_id`,`name_key`,`id`);--> statement-breakpoint
CREATE INDEX `drive_files_trashed_with_idx` ON `drive_files` (`drive_id`,`trashed_with`,`deleted_at`);--> statement-breakpoint
CREATE INDEX `drive_files_deleted_idx` ON `drive_files` (`deleted_at`);--> statement-breakpoint
CREATE TABLE `drive_folders` (
	`id` text PRIMARY KEY NOT NULL,
	`drive_id` text NOT NULL,
	`parent_id` text,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`app_id` text,
	`deleted_at` integer,
	`trashed_with` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `drive_folders_parent_idx` ON `drive_folders` (`drive_id`,`parent_id`,`name_key`,`id`);--> statement-breakpoint
CREATE INDEX `drive_folders_trashed_with_idx` ON `drive_folders` (`drive_id`,`trashed_with`,`deleted_at`);--> statement-breakpoint
CREATE INDEX `drive_folders_deleted_idx` ON `drive_folders` (`deleted_at`);