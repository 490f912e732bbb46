import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const DOWNLOAD_MODES = ["none", "web", "original"] as const;
export type DownloadMode = (typeof DOWNLOAD_MODES)[number];

/**
 * A collection's public share link (`/g/{slug}`): one row per shared collection. Password and
 * PIN are stored only as PBKDF2 hashes. `accessVersion` is signed into every visitor cookie and
 * bumped whenever the slug, password or PIN changes, so old cookies stop at once.
 */
export const galleryShares = sqliteTable(
  "gallery_shares",
  {
    collectionId: text("collection_id").primaryKey(),
    studioId: text("studio_id").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull(),
    slug: text("slug").notNull(),
    passwordHash: text("password_hash"),
    pinHash: text("pin_hash"),
    /** Epoch ms after which the page says the gallery has expired (nothing is deleted). */
    expiresAt: integer("expires_at"),
    downloads: text("downloads", { enum: DOWNLOAD_MODES }).notNull(),
    coverFileId: text("cover_file_id"),
    accessVersion: integer("access_version").notNull().default(1),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("gallery_shares_slug_uq").on(t.slug), index("gallery_shares_studio_idx").on(t.studioId)],
);

/** A client's heart on one file of a shared collection, keyed by the email the client typed. */
export const galleryFavorites = sqliteTable(
  "gallery_favorites",
  {
    collectionId: text("collection_id").notNull(),
    studioId: text("studio_id").notNull(),
    email: text("email").notNull(),
    fileId: text("file_id").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("gallery_favorites_uq").on(t.collectionId, t.email, t.fileId), index("gallery_favorites_studio_idx").on(t.studioId)],
);

export const ACTIVITY_KINDS = ["view", "favorite", "unfavorite", "download"] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/** What clients did on a shared collection: views, favorites and downloads, with the email when known. */
export const galleryActivity = sqliteTable(
  "gallery_activity",
  {
    id: text("id").primaryKey(),
    collectionId: text("collection_id").notNull(),
    studioId: text("studio_id").notNull(),
    kind: text("kind", { enum: ACTIVITY_KINDS }).notNull(),
    email: text("email"),
    /** What was downloaded or hearted (a file name, "all files", "favorites of …"). */
    detail: text("detail").notNull().default(""),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("gallery_activity_collection_idx").on(t.collectionId, t.createdAt)],
);
