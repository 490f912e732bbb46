import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * A profile's outbound messaging integrations: the dynamic-skills webhook and the handoff
 * webhook. Secrets are AES-GCM sealed (platform/secret-box.ts), never stored in clear.
 */
export const messagingIntegrations = sqliteTable("messaging_integrations", {
  profileId: text("profile_id").primaryKey(),
  skillsEnabled: integer("skills_enabled", { mode: "boolean" }).notNull().default(false),
  skillsWebhookUrl: text("skills_webhook_url"),
  skillsSecretSealed: text("skills_secret_sealed"),
  /** JSON array of `{ key, label, keywords[] }` in the merchant's order. */
  skillsJson: text("skills_json").notNull().default("[]"),
  handoffWebhookUrl: text("handoff_webhook_url"),
  handoffSecretSealed: text("handoff_secret_sealed"),
  /** Set when the receiver answered 410 Gone; cleared when the handoff config is saved again. */
  handoffDisabledAt: integer("handoff_disabled_at"),
  updatedAt: integer("updated_at").notNull(),
});

/** One webhook event to deliver (same id, the X-GellHub-Delivery header, on every attempt). */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    profileId: text("profile_id").notNull(),
    event: text("event", { enum: ["handoff.requested"] }).notNull(),
    /** The event's JSON body fields (without version/event), as enqueued. */
    payload: text("payload").notNull(),
    conversationId: text("conversation_id"),
    /** pending/retrying: queued; delivered; failed: a permanent refusal (4xx, redirect, URL refused); dead: retries exhausted; disabled: the endpoint is off after a 410. */
    status: text("status", { enum: ["pending", "retrying", "delivered", "failed", "dead", "disabled"] }).notNull(),
    attemptCount: integer("attempt_count").notNull().default(0),
    lastError: text("last_error"),
    lastHttpStatus: integer("last_http_status"),
    nextAttemptAt: integer("next_attempt_at"),
    deliveredAt: integer("delivered_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("webhook_deliveries_profile_idx").on(t.profileId, t.createdAt, t.id)],
);

/** Every POST made for a delivery: when, to where, what came back, how long it took. */
export const webhookAttempts = sqliteTable(
  "webhook_attempts",
  {
    id: text("id").primaryKey(),
    deliveryId: text("delivery_id").notNull(),
    profileId: text("profile_id").notNull(),
    attempt: integer("attempt").notNull(),
    url: text("url").notNull(),
    httpStatus: integer("http_status"),
    error: text("error"),
    outcome: text("outcome", { enum: ["delivered", "retry", "failed", "dead", "disabled"] }).notNull(),
    durationMs: integer("duration_ms").notNull(),
    retryInSeconds: integer("retry_in_seconds"),
    startedAt: integer("started_at").notNull(),
  },
  (t) => [index("webhook_attempts_delivery_idx").on(t.deliveryId, t.attempt)],
);

/** Dynamic skill calls, so the merchant sees failures (and successes) on the skills page. */
export const skillCalls = sqliteTable(
  "skill_calls",
  {
    id: text("id").primaryKey(),
    profileId: text("profile_id").notNull(),
    skill: text("skill").notNull(),
    conversationRef: text("conversation_ref").notNull(),
    outcome: text("outcome", { enum: ["ok", "invalid_answer", "timeout", "http_error", "url_refused", "network_error", "too_large", "redirect", "secret_error"] }).notNull(),
    httpStatus: integer("http_status"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("skill_calls_profile_idx").on(t.profileId, t.createdAt, t.id)],
);
