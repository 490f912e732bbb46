CREATE TABLE `agent_sources` (
	`id` text PRIMARY KEY NOT NULL,
	`profile_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`type` text NOT NULL,
	`title` text NOT NULL,
	`url` text,
	`question` text,
	`answer` text,
	`file_name` text,
	`status` text NOT NULL,
	`failure_reason` text,
	`size_bytes` integer DEFAULT 0 NOT NULL,
	`chunk_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `agent_sources_agent_idx` ON `agent_sources` (`profile_id`,`agent_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `agents` (
	`id` text PRIMARY KEY NOT NULL,
	`profile_id` text NOT NULL,
	`name` text NOT NULL,
	`bot_display_name` text NOT NULL,
	`bot_role_summary` text DEFAULT '' NOT NULL,
	`system_instructions` text DEFAULT '' NOT NULL,
	`human_handoff_enabled` integer DEFAULT false NOT NULL,
	`human_handoff_url` text,
	`human_handoff_message` text,
	`is_default` integer DEFAULT false NOT NULL,
	`sources_count` integer DEFAULT 0 NOT NULL,
	`knowledge_bytes` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `agents_profile_idx` ON `agents` (`profile_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `agents_one_default_uq` ON `agents` (`profile_id`) WHERE "agents"."is_default" = 1;--> statement-breakpoint
CREATE TABLE `conversations` (
	`id` text PRIMARY KEY NOT NULL,
	`profile_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`channel` text NOT NULL,
	`ref` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`message_count` integer DEFAULT 0 NOT NULL,
	`last_message_preview` text DEFAULT '' NOT NULL,
	`last_activity_at` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `conversations_ref_uq` ON `conversations` (`profile_id`,`ref`);--> statement-breakpoint
CREATE INDEX `conversations_activity_idx` ON `conversations` (`profile_id`,`last_activity_at`,`id`);--> statement-breakpoint
CREATE TABLE `credit_ledger` (
	`id` text PRIMARY KEY NOT NULL,
	`profile_id` text NOT NULL,
	`delta` integer NOT NULL,
	`reason` text NOT NULL,
	`conversation_id` text,
	`turn_id` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `credit_ledger_profile_idx` ON `credit_ledger` (`profile_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `credit_ledger_turn_uq` ON `credit_ledger` (`turn_id`);--> statement-breakpoint
ALTER TABLE `messaging_accounts` ADD `inbound_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `messaging_accounts` ADD `outbound_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `messaging_accounts` ADD `free_topup_month` text;