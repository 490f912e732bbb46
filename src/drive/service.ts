import { and, asc, desc, eq, inArray, isNotNull, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { PartnerApp } from "../connect/apps";
import { findLinkedApp } from "../connect/service";
import { z } from "zod";
import type { Db } from "../db";
import { driveFiles, driveFolders, drives, partnerApps } from "../db/schema";
import type { Env } from "../env";
import { ApiError, notFound } from "../platform/errors";
import { decodeCursor, encodeCursor } from "../platform/cursor";
import { newId } from "../platform/ids";
import {
  completeUpload,
  createUploadIntent,
  getStorageLimit,
  getStorageSummary,
  getUploadIntent,
  mediaLinks,
  normalizeContentType,
  presignReservedUpload,
  PROXY_INTENT_TTL_MS,
  putReservedUpload,
  releaseUsedStatement,
  safeKeySegment,
  type OwnerRef,
  type ReservedUpload,
  type UploadIntent,
} from "../platform/storage";

type Stmt = BatchItem<"sqlite">;
type FolderRow = typeof driveFolders.$inferSelect;
type FileRow = typeof driveFiles.$inferSelect;

export const MEDIA_AUDIENCE = "drive";
/** Items stay this long in the Recycle Bin before the cron deletes them forever. */
export const TRASH_RETENTION_MS = 30 * 24 * 3600_000;
/** Name shown for the root in breadcrumbs. */
export const ROOT_NAME = "My Drive";

const iso = (ms: number) => new Date(ms).toISOString();
const ownerOf = (driveId: string): OwnerRef => ({ kind: "drive", id: driveId });

/** Who is acting on a drive: the auth channel and, when sent, the partner app it speaks for. */
export interface DriveCtx {
  driveId: string;
  profileId: string;
  via: "session" | "apiKey";
  /** The linked partner app named by x-gellhub-integration-client-id, if any. */
  app: PartnerApp | null;
}

// ---------- access ----------

/** The drive of a profile; 404 when the profile has no Drive. */
export async function getDrive(db: Db, profileId: string) {
  const drive = await db.select().from(drives).where(eq(drives.profileId, profileId)).get();
  if (!drive) throw new ApiError("not_found", "This account has no Drive");
  return drive;
}

/**
 * The partner app a request speaks for: the header (or body field) `clientId` must name an
 * active Drive app this profile completed embedded connect with; otherwise 403.
 */
export async function resolveIntegration(db: Db, profileId: string, clientId: string | undefined | null): Promise<PartnerApp | null> {
  if (!clientId) return null;
  const app = await findLinkedApp(db, profileId, clientId);
  if (!app || app.productType !== "drive") {
    throw new ApiError("integration_not_linked", "This account is not linked to that integration app (complete embedded connect first)", { status: 403 });
  }
  return app;
}

/** Writes inside a partner app's tree need that app's header on an API key; the browser only reads them. */
function assertWritable(ctx: DriveCtx, appId: string | null) {
  if (!appId) return;
  if (ctx.via === "apiKey" && ctx.app?.id === appId) return;
  throw new ApiError(
    "integration_folder_read_only",
    ctx.via === "session"
      ? "Folders of integration apps are read-only in the browser"
      : "This folder belongs to an integration app: send its x-gellhub-integration-client-id to change it",
    { status: 403 },
  );
}

// ---------- names ----------

/** Trimmed, NFC-normalised display name; the key compares case-insensitively. */
export function nameKeyOf(name: string): string {
  return name.normalize("NFC").toLowerCase();
}

function splitName(name: string): [string, string] {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

/**
 * `name`, or the first free `stem (n).ext` among live siblings of the same kind, as desktop
 * drives do. `excludeId` is the item being renamed or moved (it never clashes with itself).
 */
async function freeName(db: Db, kind: "file" | "folder", driveId: string, parentId: string | null, name: string, excludeId?: string): Promise<string> {
  const t = kind === "file" ? driveFiles : driveFolders;
  const parentCol = kind === "file" ? driveFiles.folderId : driveFolders.parentId;
  const [stem, ext] = kind === "file" ? splitName(name) : [name, ""];
  const key = nameKeyOf(name);
  const pattern = `${escapeLike(nameKeyOf(stem))} (%)${escapeLike(nameKeyOf(ext))}`;
  const rows = await db
    .select({ k: t.nameKey })
    .from(t)
    .where(
      and(
        eq(t.driveId, driveId),
        parentEq(parentCol, parentId),
        isNull(t.deletedAt),
        excludeId ? sql`${t.id} <> ${excludeId}` : undefined,
        or(eq(t.nameKey, key), sql`${t.nameKey} LIKE ${pattern} ESCAPE '\\'`),
      ),
    )
    .all();
  const taken = new Set(rows.map((r) => r.k));
  if (!taken.has(key)) return name;
  for (let n = 1; ; n++) {
    const candidate = `${stem} (${n})${ext}`;
    if (!taken.has(nameKeyOf(candidate))) return candidate;
  }
}

function parentEq(col: SQLiteColumn, id: string | null): SQL {
  return id === null ? isNull(col) : eq(col, id);
}

function nameConflict(name: string) {
  return new ApiError("name_conflict", `A folder named "${name}" already exists here`, { status: 409 });
}

// ---------- folders and their ancestry ----------

interface ChainLink {
  id: string;
  parentId: string | null;
  name: string;
  appId: string | null;
  deletedAt: number | null;
}

/**
 * The folder and its ancestors, root first, or null when the id is not a folder of this drive.
 * Trashed folders are returned too (check `deletedAt` of the last link).
 */
async function folderChain(db: Db, driveId: string, folderId: string): Promise<ChainLink[] | null> {
  const rows = await db.all<{ id: string; parent_id: string | null; name: string; app_id: string | null; deleted_at: number | null }>(sql`
    WITH RECURSIVE up(id, parent_id, name, app_id, deleted_at, depth) AS (
      SELECT id, parent_id, name, app_id, deleted_at, 0 FROM drive_folders WHERE id = ${folderId} AND drive_id = ${driveId}
      UNION ALL
      SELECT f.id, f.parent_id, f.name, f.app_id, f.deleted_at, up.depth + 1
        FROM drive_folders f JOIN up ON f.id = up.parent_id
        WHERE f.drive_id = ${driveId} AND up.depth < 500
    )
    SELECT id, parent_id, name, app_id, deleted_at FROM up ORDER BY depth DESC`);
  if (rows.length === 0) return null;
  return rows.map((r) => ({ id: r.id, parentId: r.parent_id, name: r.name, appId: r.app_id, deletedAt: r.deleted_at }));
}

/** A live folder's chain; 404 for unknown, trashed or another drive's folders. */
async function liveChain(db: Db, driveId: string, folderId: string): Promise<ChainLink[]> {
  const chain = await folderChain(db, driveId, folderId);
  if (!chain || chain[chain.length - 1]!.deletedAt !== null) throw notFound("folder");
  return chain;
}

/** The app tree a (possibly root) location belongs to. */
async function appOfLocation(db: Db, driveId: string, folderId: string | null): Promise<{ chain: ChainLink[]; appId: string | null }> {
  if (folderId === null) return { chain: [], appId: null };
  const chain = await liveChain(db, driveId, folderId);
  return { chain, appId: chain[0]!.appId };
}

/** The app's top-level folder, created (named after the app) on first use. */
export async function ensureAppFolder(db: Db, driveId: string, app: PartnerApp, now: number): Promise<FolderRow> {
  const find = () =>
    db
      .select()
      .from(driveFolders)
      .where(and(eq(driveFolders.driveId, driveId), isNull(driveFolders.parentId), eq(driveFolders.appId, app.id), isNull(driveFolders.deletedAt)))
      .orderBy(asc(driveFolders.createdAt))
      .get();
  const existing = await find();
  if (existing) return existing;
  const name = await freeName(db, "folder", driveId, null, app.name.slice(0, 200));
  const id = newId("fld");
  // Columns in table order: id, drive_id, parent_id, name, name_key, app_id, deleted_at, trashed_with, created_at, updated_at.
  await db.run(sql`
    INSERT INTO drive_folders SELECT ${id}, ${driveId}, NULL, ${name}, ${nameKeyOf(name)}, ${app.id}, NULL, NULL, ${now}, ${now}
    WHERE NOT EXISTS (SELECT 1 FROM drive_folders WHERE drive_id = ${driveId} AND parent_id IS NULL AND app_id = ${app.id} AND deleted_at IS NULL)`);
  return (await find())!;
}

/**
 * Where a new item goes: the given folder, or with an integration app and no folder, the app's
 * folder. With an app, the target must lie inside the app's tree.
 */
async function resolveTarget(db: Db, ctx: DriveCtx, folderId: string | null | undefined, now: number): Promise<string | null> {
  if (!folderId) {
    if (ctx.app) return (await ensureAppFolder(db, ctx.driveId, ctx.app, now)).id;
    return null;
  }
  const { appId } = await appOfLocation(db, ctx.driveId, folderId);
  if (ctx.app && appId !== ctx.app.id) {
    throw new ApiError("outside_integration_folder", "With an integration client id, items go inside that app's folder", { status: 403 });
  }
  assertWritable(ctx, appId);
  return folderId;
}

// ---------- public shapes ----------

export function toPublicFolder(f: FolderRow, appClientId?: string | null) {
  return {
    id: f.id,
    type: "folder" as const,
    name: f.name,
    parentId: f.parentId,
    isIntegrationAppFolder: f.appId !== null,
    ...(appClientId ? { integrationClientId: appClientId } : {}),
    createdAt: iso(f.createdAt),
    updatedAt: iso(f.updatedAt),
  };
}

export function toPublicFile(f: FileRow) {
  return {
    id: f.id,
    type: "file" as const,
    name: f.name,
    folderId: f.folderId,
    contentType: f.contentType,
    sizeBytes: f.sizeBytes,
    storageKey: f.storageKey,
    createdAt: iso(f.createdAt),
    updatedAt: iso(f.updatedAt),
  };
}

async function withMedia(env: Env, driveId: string, files: FileRow[], origin: string, now: number) {
  const links = await mediaLinks(env, origin, MEDIA_AUDIENCE, "/api/drive/media", ownerOf(driveId), files.map((f) => f.storageKey), now);
  return files.map((f, i) => ({ ...toPublicFile(f), ...links[i]! }));
}

// ---------- listing ----------

const CursorSchema = z.object({ k: z.enum(["d", "f"]), n: z.string().max(1000), i: z.string().max(64) });
type Cursor = z.infer<typeof CursorSchema>;

export interface ListInput {
  parentId?: string | null;
  includeIntegrationAppFolders?: boolean;
  limit: number;
  cursor?: string;
}

/**
 * One page of a folder (root when `parentId` is empty): folders first, then files, each by name
 * (case-insensitive) and id, keyset-paginated so a folder of any size pages in constant time.
 * Breadcrumbs run from the root to the folder. In the browser, app root folders are hidden at
 * the root unless `includeIntegrationAppFolders`; API keys always see them.
 */
export async function listFolder(db: Db, env: Env, ctx: DriveCtx, input: ListInput, origin: string, now: number) {
  const parentId = input.parentId || null;
  const { chain } = await appOfLocation(db, ctx.driveId, parentId);
  const after = input.cursor ? decodeCursor(input.cursor, CursorSchema) : null;
  const hideApps = parentId === null && ctx.via === "session" && !input.includeIntegrationAppFolders;
  const limit = input.limit;

  let folderRows: FolderRow[] = [];
  if (!after || after.k === "d") {
    folderRows = await db
      .select()
      .from(driveFolders)
      .where(
        and(
          eq(driveFolders.driveId, ctx.driveId),
          parentEq(driveFolders.parentId, parentId),
          isNull(driveFolders.deletedAt),
          hideApps ? isNull(driveFolders.appId) : undefined,
          after ? sql`(${driveFolders.nameKey}, ${driveFolders.id}) > (${after.n}, ${after.i})` : undefined,
        ),
      )
      .orderBy(asc(driveFolders.nameKey), asc(driveFolders.id))
      .limit(limit + 1)
      .all();
  }
  let nextCursor: string | null = null;
  let fileRows: FileRow[] = [];
  if (folderRows.length > limit) {
    folderRows = folderRows.slice(0, limit);
    const last = folderRows[limit - 1]!;
    nextCursor = encodeCursor({ k: "d", n: last.nameKey, i: last.id });
  } else {
    const room = limit - folderRows.length;
    const fileAfter = after?.k === "f" ? after : null;
    fileRows = await db
      .select()
      .from(driveFiles)
      .where(
        and(
          eq(driveFiles.driveId, ctx.driveId),
          parentEq(driveFiles.folderId, parentId),
          isNull(driveFiles.deletedAt),
          fileAfter ? sql`(${driveFiles.nameKey}, ${driveFiles.id}) > (${fileAfter.n}, ${fileAfter.i})` : undefined,
        ),
      )
      .orderBy(asc(driveFiles.nameKey), asc(driveFiles.id))
      .limit(room + 1)
      .all();
    if (fileRows.length > room) {
      fileRows = fileRows.slice(0, room);
      const lastFile = fileRows[room - 1];
      const lastFolder = folderRows[folderRows.length - 1];
      if (lastFile) nextCursor = encodeCursor({ k: "f", n: lastFile.nameKey, i: lastFile.id });
      else if (lastFolder) nextCursor = encodeCursor({ k: "d", n: lastFolder.nameKey, i: lastFolder.id });
    }
  }
  const clientIds = await appClientIds(db, folderRows);
  const current = chain.length ? chain[chain.length - 1]! : null;
  return {
    parentId,
    folder: current ? { id: current.id, name: current.name, parentId: current.parentId, isIntegrationAppFolder: chain[0]!.appId !== null } : null,
    breadcrumbs: [{ id: null as string | null, name: ROOT_NAME }, ...chain.map((l) => ({ id: l.id as string | null, name: l.name }))],
    readOnly: ctx.via === "session" && chain.length > 0 && chain[0]!.appId !== null,
    folders: folderRows.map((f) => toPublicFolder(f, f.appId ? clientIds.get(f.appId) : null)),
    files: await withMedia(env, ctx.driveId, fileRows, origin, now),
    nextCursor,
  };
}

async function appClientIds(db: Db, folders: FolderRow[]): Promise<Map<string, string>> {
  const ids = [...new Set(folders.map((f) => f.appId).filter((x): x is string => !!x))];
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: partnerApps.id, clientId: partnerApps.clientId }).from(partnerApps).where(inArray(partnerApps.id, ids)).all();
  return new Map(rows.map((r) => [r.id, r.clientId]));
}

/** Every live folder of the drive (id, name, parent), for the dashboard's folder picker. */
export async function listAllFolders(db: Db, driveId: string, limit = 2000) {
  return db
    .select({ id: driveFolders.id, name: driveFolders.name, parentId: driveFolders.parentId, appId: driveFolders.appId })
    .from(driveFolders)
    .where(and(eq(driveFolders.driveId, driveId), isNull(driveFolders.deletedAt)))
    .orderBy(asc(driveFolders.nameKey))
    .limit(limit)
    .all();
}

// ---------- folders ----------

/**
 * Creates a folder in `parentId` (root when null; the app's folder with an integration app).
 * 409 `name_conflict` when a live sibling folder has the same name (case-insensitive).
 */
export async function createFolder(db: Db, ctx: DriveCtx, input: { name: string; parentId?: string | null }, now: number) {
  const parentId = await resolveTarget(db, ctx, input.parentId, now);
  const id = newId("fld");
  const name = input.name;
  const key = nameKeyOf(name);
  const res = await db.run(sql`
    INSERT INTO drive_folders SELECT ${id}, ${ctx.driveId}, ${parentId}, ${name}, ${key}, NULL, NULL, NULL, ${now}, ${now}
    WHERE NOT EXISTS (
      SELECT 1 FROM drive_folders WHERE drive_id = ${ctx.driveId} AND parent_id IS ${parentId} AND name_key = ${key} AND deleted_at IS NULL
    ) AND (${parentId} IS NULL OR EXISTS (SELECT 1 FROM drive_folders WHERE id = ${parentId} AND drive_id = ${ctx.driveId} AND deleted_at IS NULL))`);
  if (res.meta.changes !== 1) {
    if (parentId) await liveChain(db, ctx.driveId, parentId);
    throw nameConflict(name);
  }
  const row = await db.select().from(driveFolders).where(eq(driveFolders.id, id)).get();
  return toPublicFolder(row!);
}

// ---------- items ----------

export type ItemType = "file" | "folder";

async function liveFile(db: Db, driveId: string, id: string): Promise<FileRow> {
  const row = await db
    .select()
    .from(driveFiles)
    .where(and(eq(driveFiles.id, id), eq(driveFiles.driveId, driveId), isNull(driveFiles.deletedAt)))
    .get();
  if (!row) throw notFound("file");
  return row;
}

/** Metadata of a live item; files also carry `url` and `mediaToken` for /api/drive/media. */
export async function getItem(db: Db, env: Env, ctx: DriveCtx, type: ItemType, id: string, origin: string, now: number) {
  if (type === "file") {
    const file = await liveFile(db, ctx.driveId, id);
    const [withUrl] = await withMedia(env, ctx.driveId, [file], origin, now);
    return withUrl!;
  }
  const chain = await liveChain(db, ctx.driveId, id);
  const row = (await db.select().from(driveFolders).where(eq(driveFolders.id, id)).get())!;
  const clientIds = await appClientIds(db, [row]);
  return {
    ...toPublicFolder(row, row.appId ? clientIds.get(row.appId) : null),
    breadcrumbs: [{ id: null as string | null, name: ROOT_NAME }, ...chain.map((l) => ({ id: l.id as string | null, name: l.name }))],
  };
}

export interface UpdateInput {
  name?: string;
  /** Destination folder; null = the root; omitted = stay. */
  targetFolderId?: string | null;
}

/**
 * Renames and/or moves an item. Moving a folder into itself or a descendant is 400
 * `invalid_move` (re-checked inside the UPDATE, so concurrent moves cannot make a cycle); a
 * folder name taken in the destination is 409 `name_conflict`; a file name taken gets " (n)".
 */
export async function updateItem(db: Db, env: Env, ctx: DriveCtx, type: ItemType, id: string, input: UpdateInput, origin: string, now: number) {
  const moving = input.targetFolderId !== undefined;
  const target = input.targetFolderId ?? null;
  if (type === "file") {
    const file = await liveFile(db, ctx.driveId, id);
    assertWritable(ctx, (await appOfLocation(db, ctx.driveId, file.folderId)).appId);
    const dest = moving ? target : file.folderId;
    if (moving) assertWritable(ctx, (await appOfLocation(db, ctx.driveId, dest)).appId);
    const wanted = input.name ?? file.name;
    const name = dest === file.folderId && nameKeyOf(wanted) === file.nameKey ? wanted : await freeName(db, "file", ctx.driveId, dest, wanted, id);
    const res = await db
      .update(driveFiles)
      .set({ name, nameKey: nameKeyOf(name), folderId: dest, updatedAt: now })
      .where(
        and(
          eq(driveFiles.id, id),
          eq(driveFiles.driveId, ctx.driveId),
          isNull(driveFiles.deletedAt),
          dest ? sql`EXISTS (SELECT 1 FROM drive_folders WHERE id = ${dest} AND drive_id = ${ctx.driveId} AND deleted_at IS NULL)` : undefined,
        ),
      )
      .run();
    if (res.meta.changes !== 1) throw notFound(dest ? "folder" : "file");
    return getItem(db, env, ctx, "file", id, origin, now);
  }

  const chain = await liveChain(db, ctx.driveId, id);
  const self = chain[chain.length - 1]!;
  assertWritable(ctx, chain[0]!.appId);
  const row = (await db.select().from(driveFolders).where(eq(driveFolders.id, id)).get())!;
  const dest = moving ? target : row.parentId;
  if (moving && dest !== row.parentId) {
    if (row.appId) throw new ApiError("invalid_move", "An integration app's folder stays at the top level", { status: 400 });
    const destInfo = await appOfLocation(db, ctx.driveId, dest);
    if (destInfo.chain.some((l) => l.id === id)) throw new ApiError("invalid_move", "A folder cannot move into itself or one of its subfolders", { status: 400 });
    assertWritable(ctx, destInfo.appId);
  }
  const name = input.name ?? self.name;
  const key = nameKeyOf(name);
  const res = await db.run(sql`
    UPDATE drive_folders SET name = ${name}, name_key = ${key}, parent_id = ${dest}, updated_at = ${now}
    WHERE id = ${id} AND drive_id = ${ctx.driveId} AND deleted_at IS NULL
      AND NOT EXISTS (
        SELECT 1 FROM drive_folders s WHERE s.drive_id = ${ctx.driveId} AND s.parent_id IS ${dest} AND s.name_key = ${key} AND s.deleted_at IS NULL AND s.id <> ${id}
      )
      AND (${dest} IS NULL OR EXISTS (SELECT 1 FROM drive_folders WHERE id = ${dest} AND drive_id = ${ctx.driveId} AND deleted_at IS NULL))
      AND NOT EXISTS (
        WITH RECURSIVE up(id, parent_id, depth) AS (
          SELECT id, parent_id, 0 FROM drive_folders WHERE id = ${dest}
          UNION ALL SELECT f.id, f.parent_id, up.depth + 1 FROM drive_folders f JOIN up ON f.id = up.parent_id WHERE up.depth < 500
        ) SELECT 1 FROM up WHERE up.id = ${id}
      )`);
  if (res.meta.changes !== 1) {
    await liveChain(db, ctx.driveId, id);
    if (dest) {
      const again = await liveChain(db, ctx.driveId, dest);
      if (again.some((l) => l.id === id)) throw new ApiError("invalid_move", "A folder cannot move into itself or one of its subfolders", { status: 400 });
    }
    throw nameConflict(name);
  }
  return getItem(db, env, ctx, "folder", id, origin, now);
}

/** Live folder ids of the subtree rooted at `folderId` (itself included), as a SQL subquery. */
function subtree(driveId: string, folderId: string): SQL {
  return sql`WITH RECURSIVE sub(id) AS (
    SELECT id FROM drive_folders WHERE id = ${folderId} AND drive_id = ${driveId} AND deleted_at IS NULL
    UNION ALL
    SELECT f.id FROM drive_folders f JOIN sub ON f.parent_id = sub.id WHERE f.drive_id = ${driveId} AND f.deleted_at IS NULL
  ) SELECT id FROM sub`;
}

/**
 * Moves an item to the Recycle Bin. A folder takes its whole live subtree with it, as one
 * trash item (items already in the bin stay separate items). Bytes still count until deleted forever.
 */
export async function trashItem(db: Db, ctx: DriveCtx, type: ItemType, id: string, now: number) {
  if (type === "file") {
    const file = await liveFile(db, ctx.driveId, id);
    assertWritable(ctx, (await appOfLocation(db, ctx.driveId, file.folderId)).appId);
    const res = await db
      .update(driveFiles)
      .set({ deletedAt: now, trashedWith: null, updatedAt: now })
      .where(and(eq(driveFiles.id, id), eq(driveFiles.driveId, ctx.driveId), isNull(driveFiles.deletedAt)))
      .run();
    if (res.meta.changes !== 1) throw notFound("file");
    return;
  }
  const chain = await liveChain(db, ctx.driveId, id);
  assertWritable(ctx, chain[0]!.appId);
  // The subtree is read before any row of it changes: files first, then subfolders, then the folder.
  const [, , root] = await db.batch([
    db
      .update(driveFiles)
      .set({ deletedAt: now, trashedWith: id })
      .where(sql`drive_id = ${ctx.driveId} AND deleted_at IS NULL AND folder_id IN (${subtree(ctx.driveId, id)})`),
    db
      .update(driveFolders)
      .set({ deletedAt: now, trashedWith: id })
      .where(sql`drive_id = ${ctx.driveId} AND deleted_at IS NULL AND id <> ${id} AND id IN (${subtree(ctx.driveId, id)})`),
    db
      .update(driveFolders)
      .set({ deletedAt: now, trashedWith: null, updatedAt: now })
      .where(and(eq(driveFolders.id, id), eq(driveFolders.driveId, ctx.driveId), isNull(driveFolders.deletedAt))),
  ]);
  if (root.meta.changes !== 1) throw notFound("folder");
}

// ---------- Recycle Bin ----------

export interface TrashEntry {
  id: string;
  type: ItemType;
  name: string;
  originalParentId: string | null;
  sizeBytes: number;
  deletedAt: string;
  purgeAt: string;
}

/** Trash items (what was deleted directly), newest first; a folder's size is its subtree's files. */
export async function listTrash(db: Db, ctx: DriveCtx, limit = 500) {
  const [folders, files] = await Promise.all([
    db
      .select({
        f: driveFolders,
        size: sql<number>`(SELECT coalesce(sum(size_bytes), 0) FROM drive_files WHERE drive_id = ${ctx.driveId} AND trashed_with = "drive_folders"."id")`.mapWith(Number),
        count: sql<number>`(SELECT count(*) FROM drive_files WHERE drive_id = ${ctx.driveId} AND trashed_with = "drive_folders"."id")`.mapWith(Number),
      })
      .from(driveFolders)
      .where(and(eq(driveFolders.driveId, ctx.driveId), isNotNull(driveFolders.deletedAt), isNull(driveFolders.trashedWith)))
      .orderBy(desc(driveFolders.deletedAt))
      .limit(limit)
      .all(),
    db
      .select()
      .from(driveFiles)
      .where(and(eq(driveFiles.driveId, ctx.driveId), isNotNull(driveFiles.deletedAt), isNull(driveFiles.trashedWith)))
      .orderBy(desc(driveFiles.deletedAt))
      .limit(limit)
      .all(),
  ]);
  const items = [
    ...folders.map(({ f, size, count }) => ({
      id: f.id,
      type: "folder" as const,
      name: f.name,
      originalParentId: f.parentId,
      isIntegrationAppFolder: f.appId !== null,
      sizeBytes: size,
      fileCount: count,
      deletedAt: iso(f.deletedAt!),
      purgeAt: iso(f.deletedAt! + TRASH_RETENTION_MS),
    })),
    ...files.map((f) => ({
      id: f.id,
      type: "file" as const,
      name: f.name,
      originalParentId: f.folderId,
      isIntegrationAppFolder: false,
      contentType: f.contentType,
      sizeBytes: f.sizeBytes,
      fileCount: 1,
      deletedAt: iso(f.deletedAt!),
      purgeAt: iso(f.deletedAt! + TRASH_RETENTION_MS),
    })),
  ].sort((a, b) => (a.deletedAt < b.deletedAt ? 1 : a.deletedAt > b.deletedAt ? -1 : a.id < b.id ? -1 : 1));
  return { items: items.slice(0, limit) };
}

export interface TrashSelection {
  fileIds: string[];
  folderIds: string[];
}

/** `ids` in chunks small enough for D1's 100 bound parameters per statement (with room for the owner). */
async function inChunks<T>(ids: string[], run: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 90) out.push(...(await run(ids.slice(i, i + 90))));
  return out;
}

/** The trash items named by `sel`; 404 unless every one is a trash item of this drive. */
async function loadTrashItems(db: Db, driveId: string, sel: TrashSelection) {
  const files = await inChunks([...new Set(sel.fileIds)], (ids) =>
    db
      .select()
      .from(driveFiles)
      .where(and(eq(driveFiles.driveId, driveId), inArray(driveFiles.id, ids), isNotNull(driveFiles.deletedAt), isNull(driveFiles.trashedWith)))
      .all(),
  );
  const folders = await inChunks([...new Set(sel.folderIds)], (ids) =>
    db
      .select()
      .from(driveFolders)
      .where(and(eq(driveFolders.driveId, driveId), inArray(driveFolders.id, ids), isNotNull(driveFolders.deletedAt), isNull(driveFolders.trashedWith)))
      .all(),
  );
  if (files.length !== new Set(sel.fileIds).size || folders.length !== new Set(sel.folderIds).size) throw notFound("Recycle Bin item");
  return { files, folders };
}

/** The app tree a trash item came from (its own app id for an app root folder). */
async function originalApp(db: Db, driveId: string, parentId: string | null, ownAppId: string | null = null) {
  if (ownAppId) return ownAppId;
  if (!parentId) return null;
  const chain = await folderChain(db, driveId, parentId);
  return chain ? chain[0]!.appId : null;
}

/**
 * Restores trash items to their original folder, or to the root when that folder is gone (in
 * the bin or deleted). A name taken meanwhile gets " (n)". All or nothing: one batch.
 */
export async function restoreItems(db: Db, ctx: DriveCtx, sel: TrashSelection, now: number) {
  const { files, folders } = await loadTrashItems(db, ctx.driveId, sel);
  const restoring = new Set(folders.map((f) => f.id));
  // A parent comes back too when it is restored in this request, itself or inside a restored folder.
  const live = async (parentId: string | null) => {
    if (!parentId) return null;
    if (restoring.has(parentId)) return parentId;
    const row = await db
      .select({ deletedAt: driveFolders.deletedAt, trashedWith: driveFolders.trashedWith })
      .from(driveFolders)
      .where(and(eq(driveFolders.id, parentId), eq(driveFolders.driveId, ctx.driveId)))
      .get();
    if (!row) return null;
    return row.deletedAt === null || (row.trashedWith !== null && restoring.has(row.trashedWith)) ? parentId : null;
  };
  const statements: Stmt[] = [];
  const restored: { id: string; type: ItemType; name: string; parentId: string | null }[] = [];
  const claimed = new Map<string, Set<string>>();
  const pick = async (kind: ItemType, parent: string | null, name: string, selfId: string) => {
    const scope = `${kind}:${parent ?? ""}`;
    const used = claimed.get(scope) ?? new Set<string>();
    let chosen = await freeName(db, kind, ctx.driveId, parent, name, selfId);
    for (let n = 1; used.has(nameKeyOf(chosen)); n++) {
      const [stem, ext] = kind === "file" ? splitName(name) : [name, ""];
      chosen = await freeName(db, kind, ctx.driveId, parent, `${stem} (${n})${ext}`, selfId);
    }
    used.add(nameKeyOf(chosen));
    claimed.set(scope, used);
    return chosen;
  };
  for (const f of folders) {
    assertWritable(ctx, await originalApp(db, ctx.driveId, f.parentId, f.appId));
    const parent = f.appId ? null : await live(f.parentId);
    const name = await pick("folder", parent, f.name, f.id);
    statements.push(
      db
        .update(driveFolders)
        .set({ deletedAt: null, trashedWith: null })
        .where(and(eq(driveFolders.driveId, ctx.driveId), eq(driveFolders.trashedWith, f.id))),
      db
        .update(driveFiles)
        .set({ deletedAt: null, trashedWith: null })
        .where(and(eq(driveFiles.driveId, ctx.driveId), eq(driveFiles.trashedWith, f.id))),
      db
        .update(driveFolders)
        .set({ deletedAt: null, parentId: parent, name, nameKey: nameKeyOf(name), updatedAt: now })
        .where(and(eq(driveFolders.id, f.id), eq(driveFolders.driveId, ctx.driveId), isNotNull(driveFolders.deletedAt))),
    );
    restored.push({ id: f.id, type: "folder", name, parentId: parent });
  }
  for (const f of files) {
    assertWritable(ctx, await originalApp(db, ctx.driveId, f.folderId));
    const parent = await live(f.folderId);
    const name = await pick("file", parent, f.name, f.id);
    statements.push(
      db
        .update(driveFiles)
        .set({ deletedAt: null, folderId: parent, name, nameKey: nameKeyOf(name), updatedAt: now })
        .where(and(eq(driveFiles.id, f.id), eq(driveFiles.driveId, ctx.driveId), isNotNull(driveFiles.deletedAt), isNull(driveFiles.trashedWith))),
    );
    restored.push({ id: f.id, type: "file", name, parentId: parent });
  }
  if (statements.length) await db.batch(statements as [Stmt, ...Stmt[]]);
  return { restored };
}

/** Statements that delete trash items' rows and free their bytes; returns the R2 keys to delete. */
async function purgeStatements(db: Db, driveId: string, files: FileRow[], folders: FolderRow[]) {
  const owner = ownerOf(driveId);
  const statements: Stmt[] = [];
  const keys = files.map((f) => f.storageKey);
  for (const f of files) {
    const mine = sql`drive_id = ${driveId} AND id = ${f.id} AND deleted_at IS NOT NULL AND trashed_with IS NULL`;
    statements.push(
      releaseUsedStatement(db, owner, sql`(SELECT coalesce(sum(size_bytes), 0) FROM drive_files WHERE ${mine})`),
      db.delete(driveFiles).where(mine),
    );
  }
  for (const f of folders) {
    const inner = await db
      .select({ key: driveFiles.storageKey })
      .from(driveFiles)
      .where(and(eq(driveFiles.driveId, driveId), eq(driveFiles.trashedWith, f.id)))
      .all();
    keys.push(...inner.map((r) => r.key));
    const taken = sql`drive_id = ${driveId} AND trashed_with = ${f.id}`;
    const alive = sql`EXISTS (SELECT 1 FROM drive_folders WHERE id = ${f.id} AND drive_id = ${driveId} AND deleted_at IS NOT NULL AND trashed_with IS NULL)`;
    statements.push(
      releaseUsedStatement(db, owner, sql`(SELECT coalesce(sum(size_bytes), 0) FROM drive_files WHERE ${taken})`, alive),
      db.delete(driveFiles).where(sql`${taken} AND ${alive}`),
      db.delete(driveFolders).where(sql`${taken} AND ${alive}`),
      db.delete(driveFolders).where(sql`id = ${f.id} AND drive_id = ${driveId} AND deleted_at IS NOT NULL AND trashed_with IS NULL`),
    );
  }
  return { statements, keys };
}

async function deleteObjects(bucket: R2Bucket, keys: string[]) {
  // R2 deletes up to 1000 keys per call.
  for (let i = 0; i < keys.length; i += 1000) await bucket.delete(keys.slice(i, i + 1000));
}

/** Deletes trash items forever: rows and R2 objects gone, their bytes freed from the quota. */
export async function purgeItems(db: Db, bucket: R2Bucket, ctx: DriveCtx, sel: TrashSelection) {
  const { files, folders } = await loadTrashItems(db, ctx.driveId, sel);
  for (const f of folders) assertWritable(ctx, await originalApp(db, ctx.driveId, f.parentId, f.appId));
  for (const f of files) assertWritable(ctx, await originalApp(db, ctx.driveId, f.folderId));
  const { statements, keys } = await purgeStatements(db, ctx.driveId, files, folders);
  if (statements.length) await db.batch(statements as [Stmt, ...Stmt[]]);
  await deleteObjects(bucket, keys);
  return { deletedFiles: files.length, deletedFolders: folders.length };
}

/**
 * Cron: deletes forever every trash item older than TRASH_RETENTION_MS (at most `max` items of
 * each kind per run). Returns how many trash items went.
 */
export async function purgeExpiredTrash(db: Db, bucket: R2Bucket, now: number, max = 200): Promise<number> {
  const cutoff = now - TRASH_RETENTION_MS;
  const [files, folders] = await Promise.all([
    db
      .select()
      .from(driveFiles)
      .where(and(lte(driveFiles.deletedAt, cutoff), isNull(driveFiles.trashedWith)))
      .limit(max)
      .all(),
    db
      .select()
      .from(driveFolders)
      .where(and(lte(driveFolders.deletedAt, cutoff), isNull(driveFolders.trashedWith)))
      .limit(max)
      .all(),
  ]);
  const byDrive = new Map<string, { files: FileRow[]; folders: FolderRow[] }>();
  for (const f of files) (byDrive.get(f.driveId) ?? byDrive.set(f.driveId, { files: [], folders: [] }).get(f.driveId)!).files.push(f);
  for (const f of folders) (byDrive.get(f.driveId) ?? byDrive.set(f.driveId, { files: [], folders: [] }).get(f.driveId)!).folders.push(f);
  for (const [driveId, items] of byDrive) {
    const { statements, keys } = await purgeStatements(db, driveId, items.files, items.folders);
    for (let i = 0; i < statements.length; i += 50) await db.batch(statements.slice(i, i + 50) as [Stmt, ...Stmt[]]);
    await deleteObjects(bucket, keys);
  }
  return files.length + folders.length;
}

// ---------- uploads ----------

export interface UploadTarget {
  fileName: string;
  contentType?: string;
  sizeBytes: number;
  folderId?: string | null;
}

/** An uploaded file's display name: its last path segment, without control characters. */
export function cleanFileName(name: string): string {
  const base = name.normalize("NFC").split(/[/\\]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, "").trim().slice(0, 255);
  return base === "" || base === "." || base === ".." ? "file" : base;
}

async function reserve(db: Db, ctx: DriveCtx, target: UploadTarget, now: number, urlExpiresAt: number): Promise<ReservedUpload> {
  const folderId = await resolveTarget(db, ctx, target.folderId, now);
  const fileId = newId("df");
  const storageKey = `drive/${ctx.driveId}/${fileId}/${safeKeySegment(target.fileName)}`;
  const contentType = normalizeContentType(target.contentType);
  const limitBytes = await getStorageLimit(db, ctx.profileId, "drive");
  await createUploadIntent(db, {
    owner: ownerOf(ctx.driveId),
    storageKey,
    sizeBytes: target.sizeBytes,
    contentType,
    limitBytes,
    meta: { fileId, folderId, fileName: cleanFileName(target.fileName), appId: ctx.app?.id ?? null },
    now,
    urlExpiresAt,
  });
  return { storageKey, contentType };
}

/**
 * Step 1 of a direct upload: checks the destination, reserves `sizeBytes` against the plan's
 * limit (413 `storage_limit_exceeded`) and returns a presigned PUT URL for a server-picked key.
 */
export async function presignDriveUpload(db: Db, env: Env, ctx: DriveCtx, target: UploadTarget, requestUrl: string, now: number) {
  return presignReservedUpload(env, requestUrl, now, (urlExpiresAt) => reserve(db, ctx, target, now, urlExpiresAt));
}

async function findFileByKey(db: Db, driveId: string, storageKey: string) {
  return (await db.select().from(driveFiles).where(and(eq(driveFiles.storageKey, storageKey), eq(driveFiles.driveId, driveId))).get()) ?? null;
}

/** A live file of the drive by storage key (media tokens re-check it still exists). */
export async function findLiveFileByKey(db: Db, driveId: string, storageKey: string) {
  return (
    (await db
      .select()
      .from(driveFiles)
      .where(and(eq(driveFiles.storageKey, storageKey), eq(driveFiles.driveId, driveId), isNull(driveFiles.deletedAt)))
      .get()) ?? null
  );
}

export interface CompleteBody {
  storageKey: string;
  folderId?: string | null;
  sizeBytes?: number;
}

/**
 * Step 3 of a direct upload (checks in platform/storage completeUpload). The file lands in the
 * folder chosen at presign; a name taken there gets " (n)". Idempotent: a repeat returns the file.
 */
export async function completeDriveUpload(db: Db, bucket: R2Bucket, ctx: DriveCtx, body: CompleteBody, now: number) {
  const owner = ownerOf(ctx.driveId);
  if (!body.storageKey.startsWith(`drive/${ctx.driveId}/`)) throw notFound("upload");
  const intent = await getUploadIntent(db, owner, body.storageKey);
  if (intent) {
    if (body.folderId && intent.meta.folderId !== body.folderId) {
      throw new ApiError("upload_incomplete_or_mismatch", "folder_differs_from_presign", { status: 400 });
    }
    if (body.sizeBytes !== undefined && body.sizeBytes !== intent.declaredSize) {
      throw new ApiError("upload_incomplete_or_mismatch", "size_bytes_differs_from_presign", { status: 400 });
    }
    if (ctx.app && intent.meta.appId !== ctx.app.id) {
      throw new ApiError("upload_incomplete_or_mismatch", "integration_client_id_differs_from_presign", { status: 400 });
    }
  }
  const folderId = intent?.meta.folderId ?? null;
  const name = intent ? await freeName(db, "file", ctx.driveId, folderId, intent.meta.fileName ?? "file") : "";
  const limitBytes = await getStorageLimit(db, ctx.profileId, "drive");
  const { row, created } = await completeUpload(db, bucket, {
    owner,
    storageKey: body.storageKey,
    limitBytes,
    now,
    insertRow: (i: UploadIntent, object: R2Object, guard: SQL) =>
      // Columns in table order: id, drive_id, folder_id, name, name_key, content_type, size_bytes, storage_key, deleted_at, trashed_with, created_at, updated_at.
      db
        .insert(driveFiles)
        .select(
          sql`SELECT ${i.meta.fileId}, ${ctx.driveId}, ${folderId}, ${name}, ${nameKeyOf(name)}, ${i.contentType}, ${object.size},
            ${i.storageKey}, NULL, NULL, ${now}, ${now} WHERE ${guard}`,
        ),
    findRow: () => findFileByKey(db, ctx.driveId, body.storageKey),
    claimCondition: () =>
      folderId ? sql`EXISTS (SELECT 1 FROM drive_folders WHERE id = ${folderId} AND drive_id = ${ctx.driveId} AND deleted_at IS NULL)` : sql`1 = 1`,
  });
  return { file: toPublicFile(row), created };
}

/** The proxy route: reserve -> the Worker PUTs -> complete; a failed write releases the reservation. */
export async function proxyDriveUpload(db: Db, bucket: R2Bucket, ctx: DriveCtx, target: UploadTarget & { file: Blob }, now: number) {
  const reserved = await reserve(db, ctx, target, now, now + PROXY_INTENT_TTL_MS);
  await putReservedUpload(db, bucket, ownerOf(ctx.driveId), reserved, target.file);
  return completeDriveUpload(db, bucket, ctx, { storageKey: reserved.storageKey }, now);
}

/** `{ usedBytes, limitBytes }`: completed files (Recycle Bin included) and uploads in progress. */
export async function driveStorage(db: Db, ctx: { driveId: string; profileId: string }) {
  return getStorageSummary(db, ownerOf(ctx.driveId), ctx.profileId);
}
