import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** Client Gallery categories of a studio (e.g. Weddings, Portraits). */
export const categories = sqliteTable(
  "categories",
  {
    id: text("id").primaryKey(),
    studioId: text("studio_id").notNull(),
    name: text("name").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("categories_studio_idx").on(t.studioId, t.name)],
);

/** A client gallery: one shoot for one client. */
export const collections = sqliteTable(
  "collections",
  {
    id: text("id").primaryKey(),
    studioId: text("studio_id").notNull(),
    name: text("name").notNull(),
    clientName: text("client_name").notNull().default(""),
    /** The v1 API's `description` (the gallery's headline). */
    headline: text("headline").notNull().default(""),
    /** Shoot date, `YYYY-MM-DD`. */
    date: text("date"),
    categoryId: text("category_id"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("collections_studio_idx").on(t.studioId, t.createdAt), index("collections_category_idx").on(t.studioId, t.categoryId)],
);

/** Gallery assets: one row per completed upload (and per `addassets` link); the bytes live in R2 under storage_key. */
export const files = sqliteTable(
  "files",
  {
    id: text("id").primaryKey(),
    studioId: text("studio_id").notNull(),
    collectionId: text("collection_id").notNull(),
    storageKey: text("storage_key").notNull(),
    name: text("name").notNull(),
    contentType: text("content_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    clientName: text("client_name").notNull().default(""),
    /** The v1 API's dirname of the asset inside its gallery ("" = root, else "a/b"). */
    folderPath: text("folder_path").notNull().default(""),
    createdAt: integer("created_at").notNull(),
    /** Set on a row `addassets` made: the file it was linked from (same storage key, another gallery). */
    linkedFrom: text("linked_from"),
    /** R2 key of the ~400 px thumbnail (src/gallery/variants.ts); null = none (not an image, or undecodable). */
    thumbKey: text("thumb_key"),
    /** R2 key of the web size (~2048 px long edge); null = none. */
    webKey: text("web_key"),
  },
  (t) => [
    // One upload row per object; linked rows share its key, at most once per gallery.
    uniqueIndex("files_storage_key_uq").on(t.storageKey).where(sql`linked_from IS NULL`),
    uniqueIndex("files_collection_key_uq").on(t.collectionId, t.storageKey),
    index("files_key_idx").on(t.storageKey),
    index("files_collection_idx").on(t.collectionId, t.createdAt, t.id),
    index("files_folder_idx").on(t.collectionId, t.folderPath),
  ],
);
