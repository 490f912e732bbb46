import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db";
import { driveFiles, driveFolders, partnerApps } from "../db/schema";
import type { Env } from "../env";
import { decodeCursor, encodeCursor } from "../platform/cursor";
import { mediaLinks } from "../platform/storage";
import { ownerOf, type DriveCtx } from "./access";
import { appOfLocation, parentEq, type FolderRow } from "./tree";

export type FileRow = typeof driveFiles.$inferSelect;

export const MEDIA_AUDIENCE = "drive";
/** Name shown for the root in breadcrumbs. */
export const ROOT_NAME = "My Drive";

export const iso = (ms: number) => new Date(ms).toISOString();

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

export async function withMedia(env: Env, driveId: string, files: FileRow[], origin: string, now: number) {
  const links = await mediaLinks(env, origin, MEDIA_AUDIENCE, "/api/drive/media", ownerOf(driveId), files.map((f) => f.storageKey), now);
  return files.map((f, i) => ({ ...toPublicFile(f), ...links[i]! }));
}

const CursorSchema = z.object({ k: z.enum(["d", "f"]), n: z.string().max(1000), i: z.string().max(64) });

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

export async function appClientIds(db: Db, folders: FolderRow[]): Promise<Map<string, string>> {
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
