import { and, eq, isNull, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db";
import { driveFiles, driveFolders } from "../db/schema";
import type { Env } from "../env";
import { ApiError, notFound } from "../platform/errors";
import { newId } from "../platform/ids";
import { assertWritable, type DriveCtx } from "./access";
import { appClientIds, ROOT_NAME, toPublicFolder, withMedia, type FileRow } from "./listing";
import { appOfLocation, freeName, liveChain, nameConflict, nameKeyOf, resolveTarget } from "./tree";

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
    if (row.appId) throw new ApiError("invalid_move", "An integration app's folder stays at the top level");
    const destInfo = await appOfLocation(db, ctx.driveId, dest);
    if (destInfo.chain.some((l) => l.id === id)) throw new ApiError("invalid_move", "A folder cannot move into itself or one of its subfolders");
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
      if (again.some((l) => l.id === id)) throw new ApiError("invalid_move", "A folder cannot move into itself or one of its subfolders");
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

