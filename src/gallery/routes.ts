import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { requireApiKey } from "../platform/auth";
import { ApiError } from "../platform/errors";
import { createRouter, errorResponses, jsonBody, jsonResponse, keyOrSession } from "../platform/openapi";
import { mediaRoute, PROXY_UPLOAD_MAX_BYTES, proxyUploadLimit, serveMediaRequest, UploadFileField } from "../platform/storage";
import {
  CategoryBody,
  CategoryIdParam,
  CategorySchema,
  ClientName,
  CollectionIdParam,
  CollectionSchema,
  CompleteBody,
  CreateCollectionBody,
  FileIdParam,
  FileName,
  FileSchema,
  FilesPage,
  ListCollectionsQuery,
  ListFilesQuery,
  PresignBody,
  PresignResponse,
  StorageSchema,
  UpdateCollectionBody,
} from "./schemas";
import {
  completeGalleryUpload,
  createCategory,
  createCollection,
  deleteCategory,
  deleteCollection,
  deleteFile,
  getCollection,
  getStudio,
  listCategories,
  listCollections,
  MEDIA_AUDIENCE,
  presignUpload,
  proxyUpload,
  renameCategory,
  studioStorage,
  updateCollection,
} from "./service";
import { findMediaByKey, listFiles } from "./variants";

export const galleryRoutes = createRouter();

const security = [{ ApiKey: [] }];
const key = requireApiKey("gallery");
const tags = ["Client Gallery"];
const studioOf = (c: Context<AppEnv>) => getStudio(c.var.db, c.var.auth.profileId);

galleryRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/collections",
    tags,
    security,
    middleware: key,
    summary: "List all collections",
    description: "Newest first. `categoryId` limits the list to one category.",
    request: { query: ListCollectionsQuery },
    responses: { 200: jsonResponse(z.array(CollectionSchema)), ...errorResponses(400, 401, 403) },
  }),
  async (c) => {
    const studio = await studioOf(c);
    return c.json(await listCollections(c.var.db, studio.id, c.req.valid("query").categoryId), 200);
  },
);

galleryRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/collections",
    tags,
    security,
    middleware: key,
    summary: "Create a collection",
    request: jsonBody(CreateCollectionBody),
    responses: { 201: jsonResponse(CollectionSchema, "Created"), ...errorResponses(400, 401, 403, 404, 415) },
  }),
  async (c) => {
    const studio = await studioOf(c);
    return c.json(await createCollection(c.var.db, studio.id, c.req.valid("json"), Date.now()), 201);
  },
);

galleryRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/collections/{id}",
    tags,
    security,
    middleware: key,
    summary: "Get a collection",
    request: { params: CollectionIdParam },
    responses: { 200: jsonResponse(CollectionSchema), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const studio = await studioOf(c);
    return c.json(await getCollection(c.var.db, studio.id, c.req.valid("param").id), 200);
  },
);

galleryRoutes.openapi(
  createRoute({
    method: "patch",
    path: "/api/collections/{id}",
    tags,
    security,
    middleware: key,
    summary: "Rename or update a collection",
    description: "Send only the fields to change; `categoryId: null` removes the category.",
    request: { params: CollectionIdParam, ...jsonBody(UpdateCollectionBody) },
    responses: { 200: jsonResponse(CollectionSchema), ...errorResponses(400, 401, 403, 404, 415) },
  }),
  async (c) => {
    const studio = await studioOf(c);
    return c.json(await updateCollection(c.var.db, studio.id, c.req.valid("param").id, c.req.valid("json"), Date.now()), 200);
  },
);

galleryRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/api/collections/{id}",
    tags,
    security,
    middleware: key,
    summary: "Delete a collection",
    description: "Deletes its files and their stored bytes; the space is freed from the storage quota.",
    request: { params: CollectionIdParam },
    responses: { 204: { description: "Deleted" }, ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const studio = await studioOf(c);
    await deleteCollection(c.var.db, c.env.FILES, studio.id, c.req.valid("param").id);
    return c.body(null, 204);
  },
);

galleryRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/categories",
    tags,
    security,
    middleware: key,
    summary: "List categories",
    responses: { 200: jsonResponse(z.array(CategorySchema)), ...errorResponses(401, 403) },
  }),
  async (c) => {
    const studio = await studioOf(c);
    return c.json(await listCategories(c.var.db, studio.id), 200);
  },
);

galleryRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/categories",
    tags,
    security,
    middleware: key,
    summary: "Create a category",
    request: jsonBody(CategoryBody),
    responses: { 201: jsonResponse(CategorySchema, "Created"), ...errorResponses(400, 401, 403, 415) },
  }),
  async (c) => {
    const studio = await studioOf(c);
    return c.json(await createCategory(c.var.db, studio.id, c.req.valid("json").name, Date.now()), 201);
  },
);

galleryRoutes.openapi(
  createRoute({
    method: "patch",
    path: "/api/categories/{id}",
    tags,
    security,
    middleware: key,
    summary: "Rename a category",
    request: { params: CategoryIdParam, ...jsonBody(CategoryBody) },
    responses: { 200: jsonResponse(CategorySchema), ...errorResponses(400, 401, 403, 404, 415) },
  }),
  async (c) => {
    const studio = await studioOf(c);
    return c.json(await renameCategory(c.var.db, studio.id, c.req.valid("param").id, c.req.valid("json").name), 200);
  },
);

galleryRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/api/categories/{id}",
    tags,
    security,
    middleware: key,
    summary: "Delete a category",
    description: "Its collections stay and become uncategorised.",
    request: { params: CategoryIdParam },
    responses: { 204: { description: "Deleted" }, ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const studio = await studioOf(c);
    await deleteCategory(c.var.db, studio.id, c.req.valid("param").id, Date.now());
    return c.body(null, 204);
  },
);

const UploadForm = z.object({
  collectionId: z.string().min(1).max(64),
  clientName: ClientName.optional(),
  file: UploadFileField,
});

const proxyLimit = proxyUploadLimit("/api/upload/presign");

galleryRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/upload",
    tags,
    security,
    middleware: [requireApiKey("gallery"), proxyLimit] as const,
    summary: "Upload file to a collection (server proxies to storage)",
    description: `FormData: collectionId, clientName, file. Up to ${PROXY_UPLOAD_MAX_BYTES / 1024 / 1024} MiB; presign larger files.`,
    request: { body: { required: true, content: { "multipart/form-data": { schema: UploadForm } } } },
    responses: { 201: jsonResponse(FileSchema, "Created"), ...errorResponses(400, 401, 403, 404, 413) },
  }),
  async (c) => {
    const studio = await studioOf(c);
    const form = c.req.valid("form");
    const file = form.file as File;
    if (file.size === 0) throw new ApiError("invalid_request", [{ path: "file", message: "file is empty" }]);
    const { file: row } = await proxyUpload(
      c.var.db,
      c.env,
      studio,
      { collectionId: form.collectionId, clientName: form.clientName, fileName: FileName.parse(file.name || "file"), contentType: file.type, sizeBytes: file.size, file },
      Date.now(),
    );
    return c.json(row, 201);
  },
);

const presignRoute = (path: string, auth: "key" | "session") =>
  createRoute({
    method: "post",
    path,
    ...keyOrSession(auth, "gallery", tags),
    summary: "Get presigned PUT URL",
    description:
      "Reserves `sizeBytes` against the plan's storage limit (413 `storage_limit_exceeded`) and returns a URL the client PUTs " +
      "the bytes to, with exactly the returned `headers` (Content-Type is signed). Expires in 15 minutes.",
    request: jsonBody(PresignBody),
    responses: { 200: jsonResponse(PresignResponse), ...errorResponses(400, 401, 403, 404, 413, 415) },
  });

const completeRoute = (path: string, auth: "key" | "session") =>
  createRoute({
    method: "post",
    path,
    ...keyOrSession(auth, "gallery", tags),
    summary: "Register file after successful PUT to presigned URL",
    description:
      "409 `upload_incomplete_or_mismatch` with detail `object_not_visible_yet_retry_complete` means: retry shortly. " +
      "A size or type mismatch is 400 with the same code and another detail, and the object is deleted. Repeats return the same file.",
    request: jsonBody(CompleteBody),
    responses: { 200: jsonResponse(FileSchema, "Already completed"), 201: jsonResponse(FileSchema, "Created"), ...errorResponses(400, 401, 403, 404, 409, 413, 415) },
  });

for (const [prefix, auth] of [
  ["/api/upload", "key"],
  ["/api/dashboard/gallery/upload", "session"],
] as const) {
  galleryRoutes.openapi(presignRoute(`${prefix}/presign`, auth), async (c) => {
    const studio = await studioOf(c);
    return c.json(await presignUpload(c.var.db, c.env, studio, c.req.valid("json"), c.req.url, Date.now()), 200);
  });
  galleryRoutes.openapi(completeRoute(`${prefix}/complete`, auth), async (c) => {
    const studio = await studioOf(c);
    const { file, created } = await completeGalleryUpload(c.var.db, c.env, studio, c.req.valid("json"), Date.now());
    return c.json(file, created ? 201 : 200);
  });
}

galleryRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/collections/{id}/files",
    tags,
    security,
    middleware: key,
    summary: "Get collection files (with signed URLs)",
    description: "Oldest first, `limit` per page (default 100, max 500); pass `nextCursor` back as `cursor` for the next page.",
    request: { params: CollectionIdParam, query: ListFilesQuery },
    responses: { 200: jsonResponse(FilesPage), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const studio = await studioOf(c);
    const page = await listFiles(c.var.db, c.env, studio.id, c.req.valid("param").id, c.req.valid("query"), new URL(c.req.url).origin, Date.now());
    return c.json(page, 200);
  },
);

galleryRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/api/collections/{id}/files/{fileId}",
    tags,
    security,
    middleware: key,
    summary: "Delete a file",
    description: "Removes the file and its stored bytes; the space is freed from the storage quota.",
    request: { params: FileIdParam },
    responses: { 204: { description: "Deleted" }, ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const studio = await studioOf(c);
    const { id, fileId } = c.req.valid("param");
    await deleteFile(c.var.db, c.env.FILES, studio.id, id, fileId);
    return c.body(null, 204);
  },
);

galleryRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/studio/storage",
    tags,
    security,
    middleware: key,
    summary: "Get storage usage",
    description: "`usedBytes` counts completed files and uploads in progress; `limitBytes` is the plan's storage limit.",
    responses: { 200: jsonResponse(StorageSchema), ...errorResponses(401, 403) },
  }),
  async (c) => {
    const studio = await studioOf(c);
    return c.json(await studioStorage(c.var.db, studio), 200);
  },
);

galleryRoutes.openapi(
  mediaRoute("/api/media", tags, "Stream file (use token from files response)"),
  async (c) => (await serveMediaRequest(c, c.req.valid("query").t, MEDIA_AUDIENCE, "studio", (ownerId, key) => findMediaByKey(c.var.db, ownerId, key))) as never,
);
