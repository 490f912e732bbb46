import { z } from "@hono/zod-openapi";
import { withFields } from "../platform/openapi";
import { userText } from "../platform/text";

const Id = (prefix: string) => z.string().min(1).max(64).openapi({ example: `${prefix}_3fZk9QmP2xLw7RtB` });
const Name = userText({ min: 1, max: 200 });
export const ClientName = userText({ max: 200 });
export const FileName = userText({ min: 1, max: 255 });
const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be YYYY-MM-DD")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), "must be a real date");
const ContentType = z
  .string()
  .trim()
  .toLowerCase()
  .max(127)
  .regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/, "must be a MIME type like image/jpeg");
/** R2 takes up to 5 GiB in one PUT. */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024 * 1024;
const SizeBytes = z.number().int().min(1).max(MAX_UPLOAD_BYTES);

export const CollectionIdParam = z.object({ id: Id("col") });
export const CategoryIdParam = z.object({ id: Id("cat") });
export const FileIdParam = z.object({ id: Id("col"), fileId: Id("gf") });

export const CategorySchema = z.object({ id: z.string(), name: z.string(), createdAt: z.string() }).openapi("Category");
export const CategoryBody = z.object({ name: Name.openapi({ example: "General" }) }).strict().openapi("CategoryRequest");

export const CollectionSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    clientName: z.string(),
    date: z.string().nullable(),
    categoryId: z.string().nullable(),
    fileCount: z.number().int(),
    totalBytes: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Collection");

export const CreateCollectionBody = z
  .object({
    name: Name.openapi({ example: "Wedding 2024" }),
    clientName: ClientName.optional().openapi({ example: "John Doe" }),
    date: IsoDate.nullish().openapi({ example: "2024-06-15" }),
    categoryId: Id("cat").nullish(),
  })
  .strict()
  .openapi("CreateCollectionRequest");

export const UpdateCollectionBody = z
  .object({ name: Name.optional(), clientName: ClientName.optional(), date: IsoDate.nullish(), categoryId: Id("cat").nullish() })
  .strict()
  .refine((b) => Object.keys(b).length > 0, "send at least one field")
  .openapi("UpdateCollectionRequest");

export const ListCollectionsQuery = z.object({ categoryId: Id("cat").optional() });

export const FileSchema = z
  .object({
    id: z.string(),
    collectionId: z.string(),
    name: z.string(),
    contentType: z.string(),
    sizeBytes: z.number().int(),
    clientName: z.string(),
    storageKey: z.string(),
    createdAt: z.string(),
  })
  .openapi("GalleryFile");

export const FileWithUrlSchema = withFields(FileSchema, {
  url: z.string().openapi({ description: "Signed URL: GET streams the file (Range supported)" }),
  mediaToken: z.string(),
  expiresAt: z.string().openapi({ description: "When url and mediaToken stop working" }),
  thumbnailUrl: z.string().optional().openapi({ description: "Signed URL of a JPEG thumbnail (400 px long edge), for images; expires with url" }),
  webUrl: z.string().optional().openapi({ description: "Signed URL of a JPEG web size (2048 px long edge, never upscaled; an upright JPEG already that small is served as is), for images; expires with url" }),
}).openapi("GalleryFileWithUrl");

export const FilesPage = z
  .object({ files: z.array(FileWithUrlSchema), nextCursor: z.string().nullable() })
  .openapi("GalleryFilesPage");

export const ListFilesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(200).optional(),
});

export const PresignBody = z
  .object({
    collectionId: Id("col"),
    clientName: ClientName.optional(),
    fileName: FileName,
    contentType: ContentType.optional(),
    sizeBytes: SizeBytes,
  })
  .strict()
  .openapi("PresignRequest");

export { PresignResponse } from "../platform/storage/http";

export const CompleteBody = z
  .object({
    collectionId: Id("col").optional(),
    clientName: ClientName.optional(),
    storageKey: z.string().min(1).max(512),
    fileName: FileName.optional(),
    contentType: ContentType.optional(),
    sizeBytes: SizeBytes.optional(),
  })
  .strict()
  .openapi("CompleteRequest");

export const StorageSchema = z.object({ usedBytes: z.number().int(), limitBytes: z.number().int() }).openapi("StorageUsage");
