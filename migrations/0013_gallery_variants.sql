ALTER TABLE `files` ADD `thumb_key` text;--> statement-breakpoint
ALTER TABLE `files` ADD `web_key` text;