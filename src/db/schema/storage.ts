import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Kinds of space that own stored bytes; each maps to a table with used_bytes and reserved_bytes. */
export const OWNER_KINDS = ["studio", "drive"] as const;
export type OwnerKind = (typeof OWNER_KINDS)[number];

/**
 * A presigned (or proxied) upload that is not completed yet. Its declared size is held in the
 * owner's reserved_bytes until /complete turns it into used_bytes or the sweep releases it.
 */
export const uploadIntents = sqliteTable(
  "upload_intents",
  {
    storageKey: text("storage_key").primaryKey(),
    ownerKind: text("owner_kind", { enum: OWNER_KINDS }).notNull(),
    ownerId: text("owner_id").notNull(),
    declaredSize: integer("declared_size").notNull(),
    contentType: text("content_type").notNull(),
    /** What the feature needs again at /complete (file id, collection, names). */
    meta: text("meta", { mode: "json" }).$type<Record<string, string | null>>().notNull().default(sql`'{}'`),
    /** Set only inside the completing batch, which deletes the row in the same transaction. */
    claimId: text("claim_id"),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("upload_intents_owner_idx").on(t.ownerKind, t.ownerId), index("upload_intents_expires_idx").on(t.expiresAt)],
);
