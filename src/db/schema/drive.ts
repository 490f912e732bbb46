import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Drive folders. `parentId` null = the drive root. A partner-app root folder sits at the root
 * and carries `appId`; its whole subtree belongs to that app. Trash: the item moved to the
 * Recycle Bin has `deletedAt` and no `trashedWith`; everything it took with it has the same
 * `deletedAt` and `trashedWith` = its id, so one folder is one trash item.
 */
export const driveFolders = sqliteTable(
  "drive_folders",
  {
    id: text("id").primaryKey(),
    driveId: text("drive_id").notNull(),
    parentId: text("parent_id"),
    name: text("name").notNull(),
    /** Lower-cased name: conflicts and sort order are case-insensitive, as on desktop drives. */
    nameKey: text("name_key").notNull(),
    appId: text("app_id"),
    deletedAt: integer("deleted_at"),
    trashedWith: text("trashed_with"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("drive_folders_parent_idx").on(t.driveId, t.parentId, t.nameKey, t.id),
    index("drive_folders_trashed_with_idx").on(t.driveId, t.trashedWith, t.deletedAt),
    index("drive_folders_deleted_idx").on(t.deletedAt),
  ],
);

/** Drive files: one row per completed upload; the bytes live in R2 under storage_key. */
export const driveFiles = sqliteTable(
  "drive_files",
  {
    id: text("id").primaryKey(),
    driveId: text("drive_id").notNull(),
    folderId: text("folder_id"),
    name: text("name").notNull(),
    nameKey: text("name_key").notNull(),
    contentType: text("content_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    storageKey: text("storage_key").notNull(),
    deletedAt: integer("deleted_at"),
    trashedWith: text("trashed_with"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("drive_files_storage_key_uq").on(t.storageKey),
    index("drive_files_folder_idx").on(t.driveId, t.folderId, t.nameKey, t.id),
    index("drive_files_trashed_with_idx").on(t.driveId, t.trashedWith, t.deletedAt),
    index("drive_files_deleted_idx").on(t.deletedAt),
  ],
);
