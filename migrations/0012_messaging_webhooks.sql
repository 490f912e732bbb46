CREATE TABLE `messaging_integrations` (
	`profile_id` text PRIMARY KEY NOT NULL,
	`skills_enabled` integer DEFAULT false NOT NULL,
	`skills_webhook_url` text,
	`skills_secret_sealed` text,
	`skills_json` text DEFAULT '[]' NOT NULL,
	`handoff_webhook_url` text,
	`handoff_secret_sealed` text,
	`handoff_disabled_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `skill_calls` (
	`id` text PRIMARY KEY NOT NULL,
	`profile_id` text NOT NULL,
	`skill` text NOT NULL,
	`conversation_ref` text NOT NULL,
	`outcome` text NOT NULL,
	`http_status` integer,
	`error` text,
	`duration_ms` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `skill_calls_profile_idx` ON `skill_calls` (`profile_id`,`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `webhook_attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`delivery_id` text NOT NULL,
	`profile_id` text NOT NULL,
	`attempt` integer NOT NULL,
	`url` text NOT NULL,
	`http_status` integer,
	`error` text,
	`outcome` text NOT NULL,
	`duration_ms` integer NOT NULL,
	`retry_in_seconds` integer,
	`started_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhook_attempts_delivery_idx` ON `webhook_attempts` (`delivery_id`,`attempt`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`profile_id` text NOT NULL,
	`event` text NOT NULL,
	`payload` text NOT NULL,
	`conversation_id` text,
	`status` text NOT NULL,
	`attempt_count` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`last_http_status` integer,
	`next_attempt_at` integer,
	`delivered_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_profile_idx` ON `webhook_deliveries` (`profile_id`,`created_at`,`id`);