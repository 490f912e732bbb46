import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Messaging agents (bots) of a profile. At most one row per profile has `isDefault = 1` (a
 * partial unique index); the service keeps it exactly one whenever the profile has agents.
 */
export const agents = sqliteTable(
  "agents",
  {
    id: text("id").primaryKey(),
    profileId: text("profile_id").notNull(),
    name: text("name").notNull(),
    botDisplayName: text("bot_display_name").notNull(),
    botRoleSummary: text("bot_role_summary").notNull().default(""),
    systemInstructions: text("system_instructions").notNull().default(""),
    humanHandoffEnabled: integer("human_handoff_enabled", { mode: "boolean" }).notNull().default(false),
    humanHandoffUrl: text("human_handoff_url"),
    humanHandoffMessage: text("human_handoff_message"),
    isDefault: integer("is_default", { mode: "boolean" }).notNull().default(false),
    sourcesCount: integer("sources_count").notNull().default(0),
    /** Bytes of knowledge text held by the agent's sources (the per-agent limit). */
    knowledgeBytes: integer("knowledge_bytes").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("agents_profile_idx").on(t.profileId, t.createdAt),
    uniqueIndex("agents_one_default_uq").on(t.profileId).where(sql`${t.isDefault} = 1`),
  ],
);

/** Knowledge sources of an agent: text, qa, url or file. Their chunks live in `knowledge_fts` (FTS5, hand-written migration). */
export const agentSources = sqliteTable(
  "agent_sources",
  {
    id: text("id").primaryKey(),
    profileId: text("profile_id").notNull(),
    agentId: text("agent_id").notNull(),
    type: text("type", { enum: ["text", "qa", "url", "file"] }).notNull(),
    title: text("title").notNull(),
    url: text("url"),
    question: text("question"),
    answer: text("answer"),
    fileName: text("file_name"),
    status: text("status", { enum: ["ready", "failed"] }).notNull(),
    failureReason: text("failure_reason"),
    sizeBytes: integer("size_bytes").notNull().default(0),
    chunkCount: integer("chunk_count").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("agent_sources_agent_idx").on(t.profileId, t.agentId, t.createdAt)],
);

/** A conversation's state: the bot answers in `open` and `handoff_requested`, a person in `human`; a visitor message reopens `closed`. */
export const CONVERSATION_STATUSES = ["open", "handoff_requested", "human", "closed"] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

/**
 * The D1 index of conversations; their messages live in each conversation's Durable Object,
 * which also owns the status (this column mirrors it, written in the same ordered turn).
 */
export const conversations = sqliteTable(
  "conversations",
  {
    id: text("id").primaryKey(),
    profileId: text("profile_id").notNull(),
    agentId: text("agent_id").notNull(),
    channel: text("channel").notNull(),
    ref: text("ref").notNull(),
    status: text("status", { enum: CONVERSATION_STATUSES }).notNull().default("open"),
    messageCount: integer("message_count").notNull().default(0),
    lastMessagePreview: text("last_message_preview").notNull().default(""),
    lastActivityAt: integer("last_activity_at").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("conversations_ref_uq").on(t.profileId, t.ref),
    index("conversations_activity_idx").on(t.profileId, t.lastActivityAt, t.id),
    index("conversations_status_idx").on(t.profileId, t.status, t.lastActivityAt, t.id),
  ],
);

/** Every credit movement: -1 per answered AI turn, + top-ups. */
export const creditLedger = sqliteTable(
  "credit_ledger",
  {
    id: text("id").primaryKey(),
    profileId: text("profile_id").notNull(),
    delta: integer("delta").notNull(),
    reason: text("reason", { enum: ["ai_turn", "free_topup"] }).notNull(),
    conversationId: text("conversation_id"),
    turnId: text("turn_id"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("credit_ledger_profile_idx").on(t.profileId, t.createdAt), uniqueIndex("credit_ledger_turn_uq").on(t.turnId)],
);

/**
 * The website widget of a profile (one row, created on first read): its public `emb_…` id
 * (unique; rotating it replaces the value so the old id stops at once), the hostname
 * allowlist (JSON array) and the look of the launcher.
 */
export const messagingEmbeds = sqliteTable(
  "messaging_embeds",
  {
    profileId: text("profile_id").primaryKey(),
    publicId: text("public_id").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(false),
    allowedOrigins: text("allowed_origins").notNull().default("[]"),
    accentColor: text("accent_color").notNull().default("#0d9488"),
    launcherIcon: text("launcher_icon").notNull().default("💬"),
    showLauncher: integer("show_launcher", { mode: "boolean" }).notNull().default(true),
    greeting: text("greeting").notNull().default("Hi! How can we help?"),
    chatTitle: text("chat_title"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("messaging_embeds_public_uq").on(t.publicId)],
);
