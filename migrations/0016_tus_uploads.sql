CREATE TABLE `tus_uploads` (
	`id` text PRIMARY KEY NOT NULL,
	`owner_kind` text NOT NULL,
	`owner_id` text NOT NULL,
	`creator` text NOT NULL,
	`storage_key` text NOT NULL,
	`multipart_id` text,
	`length` integer,
	`max_length` integer NOT NULL,
	`offset` integer DEFAULT 0 NOT NULL,
	`part_size` integer NOT NULL,
	`parts` text DEFAULT '[]' NOT NULL,
	`next_part` integer DEFAULT 1 NOT NULL,
	`tail_key` text,
	`tail_size` integer DEFAULT 0 NOT NULL,
	`metadata` text DEFAULT '' NOT NULL,
	`filename` text DEFAULT '' NOT NULL,
	`content_type` text NOT NULL,
	`lease_id` text,
	`lease_until` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`completed_at` integer,
	`injected_into` text,
	`injected_file_id` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tus_uploads_storage_key_unique` ON `tus_uploads` (`storage_key`);--> statement-breakpoint
CREATE INDEX `tus_uploads_owner_idx` ON `tus_uploads` (`owner_kind`,`owner_id`,`creator`);--> statement-breakpoint
CREATE INDEX `tus_uploads_expires_idx` ON `tus_uploads` (`expires_at`);