import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * The email outbox: one row per message, written before anything is sent. `pending` rows are
 * sent right after the request (waitUntil) and retried by the cron with backoff; a send in
 * flight is `sending` with a lease, so two senders never both claim it. `held` means no
 * transport is configured (local dev, tests): nothing left the machine.
 */
export const EMAIL_STATUSES = ["pending", "sending", "sent", "failed", "held"] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

export const emailOutbox = sqliteTable(
  "email_outbox",
  {
    id: text("id").primaryKey(),
    /** The account the message was sent for (its dashboard lists it); null for system mail. */
    profileId: text("profile_id"),
    /** What the message is, e.g. `gallery_share`. */
    kind: text("kind").notNull(),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html").notNull(),
    status: text("status", { enum: EMAIL_STATUSES }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    /** When a `pending` row may be tried next; while `sending`, when the claim lapses. */
    nextAttemptAt: integer("next_attempt_at").notNull(),
    /** The transport's message id once accepted. */
    providerId: text("provider_id"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    sentAt: integer("sent_at"),
  },
  (t) => [index("email_outbox_due_idx").on(t.status, t.nextAttemptAt), index("email_outbox_profile_idx").on(t.profileId, t.createdAt)],
);

/**
 * Single-use links of `share_via_email`: the raw token is only in the email; the row holds its
 * SHA-256. Spent by one conditional UPDATE (`used_at IS NULL AND revoked_at IS NULL AND
 * expires_at > now`); a newer share of the same gallery to the same member revokes older links.
 */
export const galleryShareLinks = sqliteTable(
  "gallery_share_links",
  {
    id: text("id").primaryKey(),
    tokenHash: text("token_hash").notNull(),
    studioId: text("studio_id").notNull(),
    collectionId: text("collection_id").notNull(),
    memberId: text("member_id").notNull(),
    /** Lower-cased; only a login with this email can accept. */
    email: text("email").notNull(),
    level: text("level", { enum: ["read", "write", "manage"] }).notNull(),
    emailId: text("email_id"),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
    usedByProfileId: text("used_by_profile_id"),
    revokedAt: integer("revoked_at"),
  },
  (t) => [uniqueIndex("gallery_share_links_token_uq").on(t.tokenHash), index("gallery_share_links_member_idx").on(t.collectionId, t.memberId)],
);
