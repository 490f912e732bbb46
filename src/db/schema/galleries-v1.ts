import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * The v1 galleries API's model on top of Client Gallery: a v1 gallery is a `collections` row,
 * its assets are `files` rows (folder path = `files.folder_path`). An asset linked into more
 * galleries (`addassets`) is one more `files` row holding the same storage key; the object is
 * counted once against the quota and removed only when no row holds its key any more.
 */

/** Folders of a gallery, so empty ones exist; `path` is the full dirname ("a/b"), never "". */
export const galleryFolders = sqliteTable(
  "gallery_folders",
  {
    collectionId: text("collection_id").notNull(),
    path: text("path").notNull(),
    studioId: text("studio_id").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.collectionId, t.path] })],
);

/** People a studio works with; each has an own team (a team of one, created and deleted with them). */
export const members = sqliteTable(
  "members",
  {
    id: text("id").primaryKey(),
    studioId: text("studio_id").notNull(),
    /** Lower-cased; links the member to a GellHub login with this verified email. */
    email: text("email").notNull(),
    name: text("name").notNull().default(""),
    manager: integer("manager", { mode: "boolean" }).notNull().default(false),
    ownTeamId: text("own_team_id").notNull(),
    /** SHA-256 hex of the member's API key (one active key; rotation replaces it). */
    keyHash: text("key_hash"),
    keyPrefix: text("key_prefix"),
    keyLast4: text("key_last4"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("members_studio_email_uq").on(t.studioId, t.email), uniqueIndex("members_key_hash_uq").on(t.keyHash), index("members_email_idx").on(t.email)],
);

/** Teams of a studio; `ownMemberId` is set on a member's own team. */
export const teams = sqliteTable(
  "teams",
  {
    id: text("id").primaryKey(),
    studioId: text("studio_id").notNull(),
    name: text("name").notNull(),
    ownMemberId: text("own_member_id"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("teams_studio_idx").on(t.studioId, t.name)],
);

export const teamMembers = sqliteTable(
  "team_members",
  {
    teamId: text("team_id").notNull(),
    memberId: text("member_id").notNull(),
    studioId: text("studio_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.memberId] }), index("team_members_member_idx").on(t.memberId)],
);

export const ACCESS_LEVELS = ["read", "write", "manage"] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

/** A team's rights on one gallery: read, write, or manage (write plus that gallery's rights). */
export const galleryTeamRights = sqliteTable(
  "gallery_team_rights",
  {
    collectionId: text("collection_id").notNull(),
    teamId: text("team_id").notNull(),
    studioId: text("studio_id").notNull(),
    level: text("level", { enum: ACCESS_LEVELS }).notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.collectionId, t.teamId] }), index("gallery_team_rights_team_idx").on(t.teamId)],
);

export const METADATA_FIELD_TYPES = ["string", "number", "date", "boolean", "select"] as const;
export type MetadataFieldType = (typeof METADATA_FIELD_TYPES)[number];

/** Custom metadata fields of a studio. */
export const metadataFields = sqliteTable(
  "metadata_fields",
  {
    id: text("id").primaryKey(),
    studioId: text("studio_id").notNull(),
    name: text("name").notNull(),
    fieldType: text("field_type", { enum: METADATA_FIELD_TYPES }).notNull(),
    /** JSON array of the allowed values of a `select` field. */
    options: text("options", { mode: "json" }).$type<string[]>(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("metadata_fields_studio_name_uq").on(t.studioId, t.name)],
);

/** A gallery's value of one field, stored as text in the field type's canonical form. */
export const galleryMetadata = sqliteTable(
  "gallery_metadata",
  {
    collectionId: text("collection_id").notNull(),
    fieldId: text("field_id").notNull(),
    studioId: text("studio_id").notNull(),
    value: text("value").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.collectionId, t.fieldId] }), index("gallery_metadata_field_idx").on(t.fieldId)],
);
