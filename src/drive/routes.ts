import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { requireApiKey } from "../platform/auth";
import { ApiError } from "../platform/errors";
import { createRouter, errorResponses, jsonBody, jsonResponse, keyOrSession } from "../platform/openapi";
import { mediaRoute, PROXY_UPLOAD_MAX_BYTES, proxyUploadLimit, serveMediaRequest, UploadFileField } from "../platform/storage";
import {
  CompleteBody,
  CreateFolderBody,
  FileSchema,
  FolderSchema,
  ItemParam,
  ItemQuery,
  ItemSchema,
  ListingSchema,
  ListQuery,
  PresignBody,
  PresignResponse,
  PurgeResponse,
  RestoreResponse,
  StorageSchema,
  TrashBody,
  TrashListSchema,
  UpdateItemBody,
} from "./schemas";
import {
  completeDriveUpload,
  createFolder,
  driveStorage,
  findLiveFileByKey,
  getDrive,
  getItem,
  listFolder,
  listTrash,
  MEDIA_AUDIENCE,
  presignDriveUpload,
  proxyDriveUpload,
  purgeItems,
  resolveIntegration,
  restoreItems,
  trashItem,
  updateItem,
  type DriveCtx,
  type ItemType,
} from "./service";

export const driveRoutes = createRouter();

const tags = ["Drive"];
const keySecurity = [{ ApiKey: [] }];
const INTEGRATION_HEADER = "x-gellhub-integration-client-id";
const IntegrationHeader = z.object({
  [INTEGRATION_HEADER]: z.string().max(128).optional().openapi({ description: "client_id of a partner app linked through embedded connect" }),
});

/**
 * The drive context of a request: the drive of the authenticated profile and, for API keys,
 * the partner app named by the integration header or body field (they must agree).
 */
async function ctxOf(c: Context<AppEnv>, bodyClientId?: string | null): Promise<DriveCtx> {
  const auth = c.var.auth;
  const drive = await getDrive(c.var.db, auth.profileId);
  let app = null;
  if (auth.via === "apiKey") {
    const header = c.req.header(INTEGRATION_HEADER)?.trim() || null;
    if (header && bodyClientId && header !== bodyClientId) {
      throw new ApiError("invalid_request", [{ path: "integrationClientId", message: `differs from the ${INTEGRATION_HEADER} header` }]);
    }
    if (header && header.length > 128) throw new ApiError("invalid_request", [{ path: INTEGRATION_HEADER, message: "too long" }]);
    app = await resolveIntegration(c.var.db, auth.profileId, header ?? bodyClientId ?? null);
  }
  return { driveId: drive.id, profileId: auth.profileId, via: auth.via, app };
}

const typeOf = (id: string, type: ItemType | undefined): ItemType => type ?? (id.startsWith("fld_") ? "folder" : "file");
const originOf = (c: Context) => new URL(c.req.url).origin;

const listRoute = (path: string, auth: "key" | "session") =>
  createRoute({
    method: "get",
    path,
    ...keyOrSession(auth, "drive", tags),
    summary: "List folders and files",
    description:
      "Folders first, then files, each by name; `limit` per page (default 100, max 500), pass `nextCursor` back as `cursor`. " +
      "`breadcrumbs` run from the root to `parentId`. API keys always see partner app root folders at the root; " +
      "the browser hides them unless `includeIntegrationAppFolders=1`.",
    request: { query: ListQuery, headers: IntegrationHeader },
    responses: { 200: jsonResponse(ListingSchema), ...errorResponses(400, 401, 403, 404) },
  });

for (const [path, auth] of [
  ["/api/drive", "key"],
  ["/api/dashboard/drive", "session"],
] as const) {
  driveRoutes.openapi(listRoute(path, auth), async (c) => {
    const ctx = await ctxOf(c);
    return c.json(await listFolder(c.var.db, c.env, ctx, c.req.valid("query"), originOf(c), Date.now()), 200);
  });
}

driveRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/drive",
    tags,
    security: keySecurity,
    middleware: requireApiKey("drive"),
    summary: "Create folder",
    description:
      "`parentId` null or omitted: the root (with the integration header: the app's folder). " +
      "409 `name_conflict` when a folder of that name (case-insensitive) already exists there.",
    request: { headers: IntegrationHeader, ...jsonBody(CreateFolderBody) },
    responses: { 201: jsonResponse(FolderSchema, "Created"), ...errorResponses(400, 401, 403, 404, 409, 415) },
  }),
  async (c) => {
    const ctx = await ctxOf(c);
    return c.json(await createFolder(c.var.db, ctx, c.req.valid("json"), Date.now()), 201);
  },
);

const UploadForm = z.object({
  folderId: z.string().max(64).optional(),
  file: UploadFileField,
});

const proxyLimit = proxyUploadLimit("/api/drive/upload/presign");

driveRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/drive/upload",
    tags,
    security: keySecurity,
    middleware: [requireApiKey("drive"), proxyLimit] as const,
    summary: "Upload file (to root or folder; server proxies to storage)",
    description: `FormData: folderId (optional), file. Up to ${PROXY_UPLOAD_MAX_BYTES / 1024 / 1024} MiB; presign larger files. A name taken in the folder gets " (n)".`,
    request: { headers: IntegrationHeader, body: { required: true, content: { "multipart/form-data": { schema: UploadForm } } } },
    responses: { 201: jsonResponse(FileSchema, "Created"), ...errorResponses(400, 401, 403, 404, 413) },
  }),
  async (c) => {
    const ctx = await ctxOf(c);
    const form = c.req.valid("form");
    const file = form.file as File;
    const { file: row } = await proxyDriveUpload(
      c.var.db,
      c.env.FILES,
      ctx,
      { folderId: form.folderId || null, fileName: (file.name || "file").slice(0, 255), contentType: file.type, sizeBytes: file.size, file },
      Date.now(),
    );
    return c.json(row, 201);
  },
);

const presignRoute = (path: string, auth: "key" | "session") =>
  createRoute({
    method: "post",
    path,
    ...keyOrSession(auth, "drive", tags),
    summary: "Presigned PUT",
    description:
      "Reserves `sizeBytes` against the plan's storage limit (413 `storage_limit_exceeded`) and returns a URL to PUT the bytes to " +
      "with exactly the returned `headers` (Content-Type is signed; expires in 15 minutes). With an integration client id " +
      "(header or `integrationClientId`) the file goes under that app's folder; an app the account is not linked to is 403.",
    request: { headers: IntegrationHeader, ...jsonBody(PresignBody) },
    responses: { 200: jsonResponse(PresignResponse), ...errorResponses(400, 401, 403, 404, 413, 415) },
  });

const completeRoute = (path: string, auth: "key" | "session") =>
  createRoute({
    method: "post",
    path,
    ...keyOrSession(auth, "drive", tags),
    summary: "Register Drive file after successful PUT",
    description:
      "409 `upload_incomplete_or_mismatch` with detail `object_not_visible_yet_retry_complete` means: retry shortly. " +
      "A size or type mismatch is 400 with the same code and the object is deleted. Repeats return the same file (200).",
    request: { headers: IntegrationHeader, ...jsonBody(CompleteBody) },
    responses: { 200: jsonResponse(FileSchema, "Already completed"), 201: jsonResponse(FileSchema, "Created"), ...errorResponses(400, 401, 403, 404, 409, 413, 415) },
  });

for (const [prefix, auth] of [
  ["/api/drive/upload", "key"],
  ["/api/dashboard/drive/upload", "session"],
] as const) {
  driveRoutes.openapi(presignRoute(`${prefix}/presign`, auth), async (c) => {
    const body = c.req.valid("json");
    const ctx = await ctxOf(c, body.integrationClientId);
    return c.json(await presignDriveUpload(c.var.db, c.env, ctx, body, c.req.url, Date.now()), 200);
  });
  driveRoutes.openapi(completeRoute(`${prefix}/complete`, auth), async (c) => {
    const body = c.req.valid("json");
    const ctx = await ctxOf(c, body.integrationClientId);
    const { file, created } = await completeDriveUpload(c.var.db, c.env.FILES, ctx, body, Date.now());
    return c.json(file, created ? 201 : 200);
  });
}

const itemPath = "/api/drive/items/{id}";

driveRoutes.openapi(
  createRoute({
    method: "get",
    path: itemPath,
    tags,
    security: keySecurity,
    middleware: requireApiKey("drive"),
    summary: "Item metadata",
    description: "For files also `url` and `mediaToken` for /api/drive/media (short-lived). Items in the Recycle Bin are 404 here.",
    request: { params: ItemParam, query: ItemQuery, headers: IntegrationHeader },
    responses: { 200: jsonResponse(ItemSchema), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const ctx = await ctxOf(c);
    const { id } = c.req.valid("param");
    return c.json(await getItem(c.var.db, c.env, ctx, typeOf(id, c.req.valid("query").type), id, originOf(c), Date.now()), 200);
  },
);

driveRoutes.openapi(
  createRoute({
    method: "patch",
    path: itemPath,
    tags,
    security: keySecurity,
    middleware: requireApiKey("drive"),
    summary: "Rename or move file/folder",
    description:
      "`name` renames, `targetFolderId` moves (null = the root). A folder into itself or a descendant: 400 `invalid_move`; " +
      "a folder name taken in the destination: 409 `name_conflict`; a file name taken gets \" (n)\".",
    request: { params: ItemParam, query: ItemQuery, headers: IntegrationHeader, ...jsonBody(UpdateItemBody) },
    responses: { 200: jsonResponse(ItemSchema), ...errorResponses(400, 401, 403, 404, 409, 415) },
  }),
  async (c) => {
    const ctx = await ctxOf(c);
    const { id } = c.req.valid("param");
    return c.json(await updateItem(c.var.db, c.env, ctx, typeOf(id, c.req.valid("query").type), id, c.req.valid("json"), originOf(c), Date.now()), 200);
  },
);

driveRoutes.openapi(
  createRoute({
    method: "delete",
    path: itemPath,
    tags,
    security: keySecurity,
    middleware: requireApiKey("drive"),
    summary: "Move to Recycle Bin (soft delete)",
    description: "A folder takes its whole subtree with it, as one Recycle Bin item. Deleted forever after 30 days.",
    request: { params: ItemParam, query: ItemQuery, headers: IntegrationHeader },
    responses: { 204: { description: "In the Recycle Bin" }, ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const ctx = await ctxOf(c);
    const { id } = c.req.valid("param");
    await trashItem(c.var.db, ctx, typeOf(id, c.req.valid("query").type), id, Date.now());
    return c.body(null, 204);
  },
);

driveRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/drive/trash",
    tags,
    security: keySecurity,
    middleware: requireApiKey("drive"),
    summary: "List items in Recycle Bin",
    description: "Newest first. A folder is one item; `sizeBytes` and `fileCount` cover what it took with it.",
    responses: { 200: jsonResponse(TrashListSchema), ...errorResponses(401, 403) },
  }),
  async (c) => {
    const ctx = await ctxOf(c);
    return c.json(await listTrash(c.var.db, ctx), 200);
  },
);

driveRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/drive/trash",
    tags,
    security: keySecurity,
    middleware: requireApiKey("drive"),
    summary: "Restore items from Recycle Bin",
    description: "Back to the original folder, or to the root when it is gone. A name taken meanwhile gets \" (n)\". Any unknown id: 404, nothing restored.",
    request: { headers: IntegrationHeader, ...jsonBody(TrashBody) },
    responses: { 200: jsonResponse(RestoreResponse), ...errorResponses(400, 401, 403, 404, 415) },
  }),
  async (c) => {
    const ctx = await ctxOf(c);
    return c.json(await restoreItems(c.var.db, ctx, c.req.valid("json"), Date.now()), 200);
  },
);

driveRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/api/drive/trash",
    tags,
    security: keySecurity,
    middleware: requireApiKey("drive"),
    summary: "Permanently delete from Recycle Bin",
    description: "Rows and stored bytes are deleted and the space is freed from the quota. Any unknown id: 404, nothing deleted.",
    request: { headers: IntegrationHeader, ...jsonBody(TrashBody) },
    responses: { 200: jsonResponse(PurgeResponse), ...errorResponses(400, 401, 403, 404, 415) },
  }),
  async (c) => {
    const ctx = await ctxOf(c);
    return c.json(await purgeItems(c.var.db, c.env.FILES, ctx, c.req.valid("json")), 200);
  },
);

driveRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/drive/storage",
    tags,
    security: keySecurity,
    middleware: requireApiKey("drive"),
    summary: "Get used bytes and limit (subscription plan)",
    description: "`usedBytes` counts files (Recycle Bin included) and uploads in progress; `limitBytes` is the plan's storage limit.",
    responses: { 200: jsonResponse(StorageSchema), ...errorResponses(401, 403) },
  }),
  async (c) => {
    const drive = await getDrive(c.var.db, c.var.auth.profileId);
    return c.json(await driveStorage(c.var.db, { driveId: drive.id, profileId: c.var.auth.profileId }), 200);
  },
);

driveRoutes.openapi(
  mediaRoute("/api/drive/media", tags, "Stream Drive file (use token from files response)"),
  async (c) => (await serveMediaRequest(c, c.req.valid("query").t, MEDIA_AUDIENCE, "drive", (ownerId, key) => findLiveFileByKey(c.var.db, ownerId, key))) as never,
);
