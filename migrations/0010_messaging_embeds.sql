CREATE TABLE `messaging_embeds` (
	`profile_id` text PRIMARY KEY NOT NULL,
	`public_id` text NOT NULL,
	`enabled` integer DEFAULT false NOT NULL,
	`allowed_origins` text DEFAULT '[]' NOT NULL,
	`accent_color` text DEFAULT '#0d9488' NOT NULL,
	`launcher_icon` text DEFAULT '💬' NOT NULL,
	`show_launcher` integer DEFAULT true NOT NULL,
	`greeting` text DEFAULT 'Hi! How can we help?' NOT NULL,
	`chat_title` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messaging_embeds_public_uq` ON `messaging_embeds` (`public_id`);