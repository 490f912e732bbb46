import { and, desc, eq, inArray, isNotNull, isNull, lte, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../db";
import { inChunks } from "../db/batch";
import { driveFiles, driveFolders } from "../db/schema";
import { notFound } from "../platform/errors";
import { releaseUsedStatement } from "../platform/storage";
import { assertWritable, ownerOf, type DriveCtx } from "./access";
import type { ItemType } from "./items";
import { iso, type FileRow } from "./listing";
import { folderChain, freeName, nameKeyOf, splitName, type FolderRow } from "./tree";

type Stmt = BatchItem<"sqlite">;

/** Items stay this long in the Recycle Bin before the cron deletes them forever. */
export const TRASH_RETENTION_MS = 30 * 24 * 3600_000;

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

/**
 * Statements that delete trash items' rows and free their bytes, the R2 keys to delete, and for
 * each item the index of the statement that deletes its own row: exactly one of several
 * concurrent purges of an item sees that statement change a row.
 */
async function purgeStatements(db: Db, driveId: string, files: FileRow[], folders: FolderRow[]) {
  const owner = ownerOf(driveId);
  const statements: Stmt[] = [];
  const decisive: { type: ItemType; index: number }[] = [];
  const keys = files.map((f) => f.storageKey);
  for (const f of files) {
    const mine = sql`drive_id = ${driveId} AND id = ${f.id} AND deleted_at IS NOT NULL AND trashed_with IS NULL`;
    statements.push(releaseUsedStatement(db, owner, sql`(SELECT coalesce(sum(size_bytes), 0) FROM drive_files WHERE ${mine})`));
    decisive.push({ type: "file", index: statements.push(db.delete(driveFiles).where(mine)) - 1 });
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
    );
    const own = db.delete(driveFolders).where(sql`id = ${f.id} AND drive_id = ${driveId} AND deleted_at IS NOT NULL AND trashed_with IS NULL`);
    decisive.push({ type: "folder", index: statements.push(own) - 1 });
  }
  return { statements, keys, decisive };
}

/**
 * Runs purge statements in batches of at most `chunk` (each batch is atomic on its own) and
 * counts the items whose own row this call deleted.
 */
async function runPurge(db: Db, purge: Awaited<ReturnType<typeof purgeStatements>>, chunk: number) {
  const results: { meta?: { changes?: number } }[] = [];
  for (let i = 0; i < purge.statements.length; i += chunk) {
    results.push(...((await db.batch(purge.statements.slice(i, i + chunk) as [Stmt, ...Stmt[]])) as { meta?: { changes?: number } }[]));
  }
  const won = purge.decisive.filter((d) => results[d.index]?.meta?.changes === 1);
  return { deletedFiles: won.filter((d) => d.type === "file").length, deletedFolders: won.filter((d) => d.type === "folder").length };
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
  const purge = await purgeStatements(db, ctx.driveId, files, folders);
  const deleted = await runPurge(db, purge, purge.statements.length || 1);
  await deleteObjects(bucket, purge.keys);
  return deleted;
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
  let purged = 0;
  const byDrive = new Map<string, { files: FileRow[]; folders: FolderRow[] }>();
  for (const f of files) (byDrive.get(f.driveId) ?? byDrive.set(f.driveId, { files: [], folders: [] }).get(f.driveId)!).files.push(f);
  for (const f of folders) (byDrive.get(f.driveId) ?? byDrive.set(f.driveId, { files: [], folders: [] }).get(f.driveId)!).folders.push(f);
  for (const [driveId, items] of byDrive) {
    const purge = await purgeStatements(db, driveId, items.files, items.folders);
    const deleted = await runPurge(db, purge, 50);
    purged += deleted.deletedFiles + deleted.deletedFolders;
    await deleteObjects(bucket, purge.keys);
  }
  return purged;
}
