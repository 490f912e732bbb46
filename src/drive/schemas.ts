import { z } from "@hono/zod-openapi";
import { withFields } from "../platform/openapi";
import { userText } from "../platform/text";

const FolderId = z.string().min(1).max(64).openapi({ example: "fld_3fZk9QmP2xLw7RtB" });
const ItemId = z.string().min(1).max(64).openapi({ example: "df_3fZk9QmP2xLw7RtB" });
const ClientId = z.string().trim().min(1).max(128);

/** Names as desktop drives allow them: no slashes or control characters, not "." or "..". */
export const ItemName = userText({ min: 1, max: 255 })
  .refine((s) => !/[/\\]/.test(s), "must not contain slashes")
  .refine((s) => s !== "." && s !== "..", "must not be . or ..");

const FileName = userText({ min: 1, max: 255 });
/** Accepts what browsers send (possibly empty); the server keeps `type/subtype` or falls back to octet-stream. */
const ContentType = z.string().max(255);
/** R2 takes up to 5 GiB in one PUT; empty files are fine, as on desktop drives. */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024 * 1024;
const SizeBytes = z.number().int().min(0).max(MAX_UPLOAD_BYTES);

const Flag = z
  .enum(["1", "0", "true", "false"])
  .optional()
  .transform((v) => v === "1" || v === "true");

export const ListQuery = z.object({
  parentId: z.string().max(64).optional().openapi({ description: "Folder to list; the root when omitted or empty" }),
  includeIntegrationAppFolders: Flag.openapi({ description: "Browser only: also show partner app root folders at the root" }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(2000).optional(),
});

export const ItemParam = z.object({ id: ItemId });
export const ItemQuery = z.object({
  type: z.enum(["file", "folder"]).optional().openapi({ description: "file or folder; inferred from the id prefix when omitted" }),
});

export const FolderSchema = z
  .object({
    id: z.string(),
    type: z.literal("folder"),
    name: z.string(),
    parentId: z.string().nullable(),
    isIntegrationAppFolder: z.boolean(),
    integrationClientId: z.string().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("DriveFolder");

export const FileSchema = z
  .object({
    id: z.string(),
    type: z.literal("file"),
    name: z.string(),
    folderId: z.string().nullable(),
    contentType: z.string(),
    sizeBytes: z.number().int(),
    storageKey: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("DriveFile");

export const FileWithUrlSchema = withFields(FileSchema, {
  url: z.string().openapi({ description: "GET streams the file (Range supported) until expiresAt" }),
  mediaToken: z.string(),
  expiresAt: z.string(),
}).openapi("DriveFileWithUrl");

const Crumb = z.object({ id: z.string().nullable(), name: z.string() });

export const ListingSchema = z
  .object({
    parentId: z.string().nullable(),
    folder: z.object({ id: z.string(), name: z.string(), parentId: z.string().nullable(), isIntegrationAppFolder: z.boolean() }).nullable(),
    breadcrumbs: z.array(Crumb),
    readOnly: z.boolean(),
    folders: z.array(FolderSchema),
    files: z.array(FileWithUrlSchema),
    nextCursor: z.string().nullable(),
  })
  .openapi("DriveListing");

export const FolderDetailSchema = withFields(FolderSchema, { breadcrumbs: z.array(Crumb) }).openapi("DriveFolderDetail");
export const ItemSchema = z.union([FileWithUrlSchema, FolderDetailSchema]);

export const CreateFolderBody = z
  .object({ name: ItemName.openapi({ example: "My Folder" }), parentId: FolderId.nullish() })
  .strict()
  .openapi("CreateDriveFolderRequest");

export const UpdateItemBody = z
  .object({
    name: ItemName.optional().openapi({ example: "New name" }),
    targetFolderId: FolderId.nullish().openapi({ description: "Destination folder; null moves to the root" }),
  })
  .strict()
  .refine((b) => b.name !== undefined || b.targetFolderId !== undefined, "send name and/or targetFolderId")
  .openapi("UpdateDriveItemRequest");

export const PresignBody = z
  .object({
    fileName: FileName,
    contentType: ContentType.optional(),
    sizeBytes: SizeBytes,
    folderId: FolderId.nullish(),
    integrationClientId: ClientId.nullish(),
  })
  .strict()
  .openapi("DrivePresignRequest");

export { PresignResponse } from "../platform/storage/http";

export const CompleteBody = z
  .object({
    storageKey: z.string().min(1).max(512),
    fileName: FileName.optional(),
    contentType: ContentType.optional(),
    sizeBytes: SizeBytes.optional(),
    folderId: FolderId.nullish(),
    integrationClientId: ClientId.nullish(),
  })
  .strict()
  .openapi("DriveCompleteRequest");

const Ids = z.array(z.string().min(1).max(64)).max(100).default([]);
export const TrashBody = z
  .object({ fileIds: Ids, folderIds: Ids })
  .strict()
  .refine((b) => b.fileIds.length + b.folderIds.length > 0, "send at least one id in fileIds or folderIds")
  .openapi("DriveTrashSelection");

export const TrashItemSchema = z
  .object({
    id: z.string(),
    type: z.enum(["file", "folder"]),
    name: z.string(),
    originalParentId: z.string().nullable(),
    isIntegrationAppFolder: z.boolean(),
    contentType: z.string().optional(),
    sizeBytes: z.number().int(),
    fileCount: z.number().int(),
    deletedAt: z.string(),
    purgeAt: z.string().openapi({ description: "When the cron deletes it forever (30 days in the bin)" }),
  })
  .openapi("DriveTrashItem");

export const TrashListSchema = z.object({ items: z.array(TrashItemSchema) }).openapi("DriveTrash");
export const RestoreResponse = z
  .object({ restored: z.array(z.object({ id: z.string(), type: z.enum(["file", "folder"]), name: z.string(), parentId: z.string().nullable() })) })
  .openapi("DriveRestoreResult");
export const PurgeResponse = z.object({ deletedFiles: z.number().int(), deletedFolders: z.number().int() }).openapi("DrivePurgeResult");

export const StorageSchema = z.object({ usedBytes: z.number().int(), limitBytes: z.number().int() }).openapi("DriveStorage");
