import { and, asc, eq, isNull, or, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { PartnerApp } from "../connect/apps";
import type { Db } from "../db";
import { driveFiles, driveFolders } from "../db/schema";
import { ApiError, notFound } from "../platform/errors";
import { newId } from "../platform/ids";
import { assertWritable, type DriveCtx } from "./access";

export type FolderRow = typeof driveFolders.$inferSelect;

/** Trimmed, NFC-normalised display name; the key compares case-insensitively. */
export function nameKeyOf(name: string): string {
  return name.normalize("NFC").toLowerCase();
}

export function splitName(name: string): [string, string] {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

/**
 * `name`, or the first free `stem (n).ext` among live siblings of the same kind, as desktop
 * drives do. `excludeId` is the item being renamed or moved (it never clashes with itself).
 */
export async function freeName(db: Db, kind: "file" | "folder", driveId: string, parentId: string | null, name: string, excludeId?: string): Promise<string> {
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

export function parentEq(col: SQLiteColumn, id: string | null): SQL {
  return id === null ? isNull(col) : eq(col, id);
}

export function nameConflict(name: string) {
  return new ApiError("name_conflict", `A folder named "${name}" already exists here`);
}

export interface ChainLink {
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
export async function folderChain(db: Db, driveId: string, folderId: string): Promise<ChainLink[] | null> {
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
export async function liveChain(db: Db, driveId: string, folderId: string): Promise<ChainLink[]> {
  const chain = await folderChain(db, driveId, folderId);
  if (!chain || chain[chain.length - 1]!.deletedAt !== null) throw notFound("folder");
  return chain;
}

/** The app tree a (possibly root) location belongs to. */
export async function appOfLocation(db: Db, driveId: string, folderId: string | null): Promise<{ chain: ChainLink[]; appId: string | null }> {
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
export async function resolveTarget(db: Db, ctx: DriveCtx, folderId: string | null | undefined, now: number): Promise<string | null> {
  if (!folderId) {
    if (ctx.app) return (await ensureAppFolder(db, ctx.driveId, ctx.app, now)).id;
    return null;
  }
  const { appId } = await appOfLocation(db, ctx.driveId, folderId);
  if (ctx.app && appId !== ctx.app.id) {
    throw new ApiError("outside_integration_folder", "With an integration client id, items go inside that app's folder");
  }
  assertWritable(ctx, appId);
  return folderId;
}
