CREATE TABLE `gallery_activity` (
	`id` text PRIMARY KEY NOT NULL,
	`collection_id` text NOT NULL,
	`studio_id` text NOT NULL,
	`kind` text NOT NULL,
	`email` text,
	`detail` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `gallery_activity_collection_idx` ON `gallery_activity` (`collection_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `gallery_favorites` (
	`collection_id` text NOT NULL,
	`studio_id` text NOT NULL,
	`email` text NOT NULL,
	`file_id` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `gallery_favorites_uq` ON `gallery_favorites` (`collection_id`,`email`,`file_id`);--> statement-breakpoint
CREATE INDEX `gallery_favorites_studio_idx` ON `gallery_favorites` (`studio_id`);--> statement-breakpoint
CREATE TABLE `gallery_shares` (
	`collection_id` text PRIMARY KEY NOT NULL,
	`studio_id` text NOT NULL,
	`enabled` integer NOT NULL,
	`slug` text NOT NULL,
	`password_hash` text,
	`pin_hash` text,
	`expires_at` integer,
	`downloads` text NOT NULL,
	`cover_file_id` text,
	`access_version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `gallery_shares_slug_uq` ON `gallery_shares` (`slug`);--> statement-breakpoint
CREATE INDEX `gallery_shares_studio_idx` ON `gallery_shares` (`studio_id`);