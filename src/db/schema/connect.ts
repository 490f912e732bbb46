import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { PLAN_TYPES } from "./plans";

/** Partner (integration) apps registered in the Developer Console. */
export const partnerApps = sqliteTable(
  "partner_apps",
  {
    id: text("id").primaryKey(),
    /** Public identifier partners put in URLs. */
    clientId: text("client_id").notNull(),
    /** SHA-256 hex of the client secret; the secret itself is shown once and never stored. */
    clientSecretHash: text("client_secret_hash").notNull(),
    ownerProfileId: text("owner_profile_id").notNull(),
    name: text("name").notNull(),
    /** The one product line the app may onboard users to (public name: allowedProductTypes). */
    productType: text("product_type", { enum: PLAN_TYPES }).notNull(),
    /** JSON array of exact redirect URIs; return_url must equal one byte for byte. */
    redirectUris: text("redirect_uris", { mode: "json" }).$type<string[]>().notNull(),
    status: text("status", { enum: ["active", "suspended"] }).notNull().default("active"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("partner_apps_client_uq").on(t.clientId), index("partner_apps_owner_idx").on(t.ownerProfileId)],
);

/** One-time authorization codes of embedded connect (hashed, single use, short-lived, bound to app). */
export const connectCodes = sqliteTable(
  "connect_codes",
  {
    /** SHA-256 hex of the code. */
    codeHash: text("code_hash").primaryKey(),
    appId: text("app_id").notNull(),
    profileId: text("profile_id").notNull(),
    /** The partner's state, returned unchanged by exchange. */
    state: text("state"),
    /** Optional PKCE S256 challenge (RFC 7636) sent by the partner to start. */
    codeChallenge: text("code_challenge"),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
    /** Set when someone redeems an already used code; its keys are then revoked. */
    reusedAt: integer("reused_at"),
    /** JSON array of the API key ids the first redemption issued. */
    issuedKeyIds: text("issued_key_ids", { mode: "json" }).$type<string[]>(),
  },
  (t) => [index("connect_codes_expiry_idx").on(t.expiresAt)],
);

/** A profile that completed connect with an app. */
export const partnerLinks = sqliteTable(
  "partner_links",
  {
    appId: text("app_id").notNull(),
    profileId: text("profile_id").notNull(),
    createdAt: integer("created_at").notNull(),
    lastConnectedAt: integer("last_connected_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.appId, t.profileId] }), index("partner_links_profile_idx").on(t.profileId)],
);

export const CONNECT_EVENT_KINDS = ["start", "register", "login", "finalize", "exchange", "verify"] as const;
export type ConnectEventKind = (typeof CONNECT_EVENT_KINDS)[number];

/**
 * Connect funnel counters per app, UTC day and step. Aggregated on write (one upsert per
 * event) so a flood of public `start` calls costs a counter, never a row each.
 */
export const connectEvents = sqliteTable(
  "connect_events",
  {
    appId: text("app_id").notNull(),
    /** Epoch ms of the UTC day's start. */
    day: integer("day").notNull(),
    kind: text("kind", { enum: CONNECT_EVENT_KINDS }).notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.appId, t.day, t.kind] })],
);
