import { integer, sqliteTable, text, uniqueIndex, index, primaryKey } from "drizzle-orm/sqlite-core";

export const PRODUCT_LINES = ["gallery", "drive", "messaging"] as const;
/** The product line an API key belongs to. */
export type ProductLine = (typeof PRODUCT_LINES)[number];

export const profiles = sqliteTable(
  "profiles",
  {
    id: text("id").primaryKey(),
    /** Lower-cased. */
    email: text("email").notNull(),
    displayName: text("display_name").notNull(),
    /** `pbkdf2-sha256$iter$salt$hash`; null for Google-only accounts. */
    passwordHash: text("password_hash"),
    role: text("role", { enum: ["user", "staff"] }).notNull().default("user"),
    accountType: text("account_type", { enum: ["studio", "drive", "messaging"] }).notNull(),
    googleSubject: text("google_subject"),
    /** When a link sent to this email was accepted by this login (e.g. a gallery share): the email is verified. */
    emailVerifiedAt: integer("email_verified_at"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("profiles_email_uq").on(t.email), uniqueIndex("profiles_google_uq").on(t.googleSubject)],
);

export const sessions = sqliteTable(
  "sessions",
  {
    /** SHA-256 hex of the cookie value. */
    idHash: text("id_hash").primaryKey(),
    profileId: text("profile_id").notNull(),
    createdAt: integer("created_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("sessions_profile_idx").on(t.profileId)],
);

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    profileId: text("profile_id").notNull(),
    productLine: text("product_line", { enum: PRODUCT_LINES }).notNull(),
    /** SHA-256 hex of the full key. */
    keyHash: text("key_hash").notNull(),
    /** e.g. `sk_AbC1` — enough to recognise, never enough to use. */
    displayPrefix: text("display_prefix").notNull(),
    last4: text("last4").notNull(),
    label: text("label").notNull().default("Dashboard"),
    /** Set when a partner app issued the key through embedded connect. */
    partnerAppId: text("partner_app_id"),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at"),
    revokedAt: integer("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_hash_uq").on(t.keyHash), index("api_keys_profile_idx").on(t.profileId, t.productLine)],
);

/** Client Gallery space of a profile. */
export const studios = sqliteTable(
  "studios",
  {
    id: text("id").primaryKey(),
    profileId: text("profile_id").notNull(),
    name: text("name").notNull(),
    usedBytes: integer("used_bytes").notNull().default(0),
    reservedBytes: integer("reserved_bytes").notNull().default(0),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("studios_profile_uq").on(t.profileId)],
);

/** Drive space of a profile. */
export const drives = sqliteTable(
  "drives",
  {
    id: text("id").primaryKey(),
    profileId: text("profile_id").notNull(),
    name: text("name").notNull(),
    usedBytes: integer("used_bytes").notNull().default(0),
    reservedBytes: integer("reserved_bytes").notNull().default(0),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("drives_profile_uq").on(t.profileId)],
);

/** Messaging space of a profile. */
export const messagingAccounts = sqliteTable(
  "messaging_accounts",
  {
    id: text("id").primaryKey(),
    profileId: text("profile_id").notNull(),
    credits: integer("credits").notNull().default(0),
    /** Exact message counts: visitor/user messages in, assistant messages out. */
    inboundCount: integer("inbound_count").notNull().default(0),
    outboundCount: integer("outbound_count").notNull().default(0),
    /** `YYYY-MM` of the last free-plan monthly top-up (the cron's once-per-month guard). */
    freeTopupMonth: text("free_topup_month"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("messaging_accounts_profile_uq").on(t.profileId)],
);

/** Fixed-window counters for rate limits (exact: one atomic upsert per hit). */
export const rateLimits = sqliteTable(
  "rate_limits",
  {
    bucket: text("bucket").notNull(),
    windowStart: integer("window_start").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.windowStart] })],
);
