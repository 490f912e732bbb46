import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../db";
import { inChunks } from "../db/batch";
import { files, galleryFolders } from "../db/schema";
import { ApiError, notFound } from "../platform/errors";
import { releaseUsedStatement } from "../platform/storage";
import { deleteUnheldObjects, freedBytes } from "../gallery/service";
import { authorizeGallery, type Actor } from "./access";
import { toV1Asset } from "./galleries";
import { baseName, depthOf, isWithin, joinPath, parentOf } from "./paths";

type Stmt = BatchItem<"sqlite">;
type Conflict = { path: string; message: string };

function conflictError(conflicts: Conflict[]): ApiError {
  return new ApiError("name_conflict", conflicts);
}

/** SQL: column `col` is `path` or lies beneath it (length() counts characters as substr does). */
const under = (col: SQL, path: string) => sql`(${col} = ${path} OR substr(${col}, 1, length(${path}) + 1) = ${path} || '/')`;

async function folderPaths(db: Db, collectionId: string): Promise<Set<string>> {
  const rows = await db.select({ p: galleryFolders.path }).from(galleryFolders).where(eq(galleryFolders.collectionId, collectionId)).all();
  return new Set(rows.map((r) => r.p));
}

function assertFolder(folders: Set<string>, path: string) {
  if (path !== "" && !folders.has(path)) throw notFound(`folder "${path}"`);
}

/** Names in `parent` already taken by a folder or an asset (other than `exceptAsset`), of `names`. */
async function takenNames(db: Db, collectionId: string, folders: Set<string>, parent: string, names: string[], exceptAsset?: string) {
  const taken = new Set(names.filter((n) => folders.has(joinPath(parent, n))));
  const rows = await inChunks(names, (chunk) =>
    db
      .select({ id: files.id, name: files.name })
      .from(files)
      .where(and(eq(files.collectionId, collectionId), eq(files.folderPath, parent), inArray(files.name, chunk)))
      .all(),
  );
  for (const r of rows) if (r.id !== exceptAsset) taken.add(r.name);
  return taken;
}

/** Statements moving folder `from` (and everything beneath) to `to`. */
function movePrefix(db: Db, collectionId: string, from: string, to: string): Stmt[] {
  return [
    db
      .update(galleryFolders)
      .set({ path: sql`${to} || substr(${galleryFolders.path}, length(${from}) + 1)` })
      .where(and(eq(galleryFolders.collectionId, collectionId), under(sql`${galleryFolders.path}`, from))),
    db
      .update(files)
      .set({ folderPath: sql`${to} || substr(${files.folderPath}, length(${from}) + 1)` })
      .where(and(eq(files.collectionId, collectionId), under(sql`${files.folderPath}`, from))),
  ];
}

/** Lists the gallery's folders (read access). */
export async function listFolders(db: Db, actor: Actor, id: string) {
  await authorizeGallery(db, actor, id, "read");
  return { folders: [...(await folderPaths(db, id))].sort() };
}

/** Creates folder `name` in `parent` (write access); 409 `name_conflict` when the name is taken. */
export async function createFolder(db: Db, actor: Actor, id: string, parent: string, name: string, now: number) {
  await authorizeGallery(db, actor, id, "write");
  const folders = await folderPaths(db, id);
  assertFolder(folders, parent);
  const path = joinPath(parent, name);
  if ((await takenNames(db, id, folders, parent, [name])).size) throw conflictError([{ path, message: "a folder or asset with this name exists" }]);
  await db.insert(galleryFolders).values({ collectionId: id, path, studioId: actor.studioId, createdAt: now }).onConflictDoNothing();
  return { folder: { dirname: parent, name, path } };
}

/** Renames a folder; every asset and subfolder beneath follows (one batch). */
export async function renameFolder(db: Db, actor: Actor, id: string, path: string, name: string) {
  await authorizeGallery(db, actor, id, "write");
  const folders = await folderPaths(db, id);
  if (path === "") throw new ApiError("invalid_move", "The root folder cannot be renamed");
  assertFolder(folders, path);
  const to = joinPath(parentOf(path), name);
  if (to !== path) {
    if ((await takenNames(db, id, folders, parentOf(path), [name])).size) throw conflictError([{ path: to, message: "a folder or asset with this name exists" }]);
    await db.batch(movePrefix(db, id, path, to) as [Stmt, ...Stmt[]]);
  }
  return { folder: { dirname: parentOf(to), name, path: to } };
}

/** Renames an asset inside its folder; 409 `name_conflict` when a sibling has the name. */
export async function renameAsset(db: Db, actor: Actor, id: string, assetId: string, name: string) {
  await authorizeGallery(db, actor, id, "write");
  const asset = await db.select().from(files).where(and(eq(files.id, assetId), eq(files.collectionId, id))).get();
  if (!asset) throw notFound("asset");
  const folders = await folderPaths(db, id);
  if ((await takenNames(db, id, folders, asset.folderPath, [name], asset.id)).size) {
    throw conflictError([{ path: joinPath(asset.folderPath, name), message: "a folder or asset with this name exists" }]);
  }
  await db.update(files).set({ name }).where(and(eq(files.id, assetId), eq(files.collectionId, id)));
  return { asset: toV1Asset({ ...asset, name }) };
}

export interface MoveInput {
  target: string;
  folders: { containerId: string; dirname: string }[];
  assetIds: string[];
  overwrite: boolean;
}

/**
 * Moves folders and assets of the gallery into `target`, all or nothing. Name clashes in the
 * target are 409 `name_conflict` (listing them) unless `overwrite`, which replaces the existing
 * items (replaced assets go to storage cleanup). A folder moved into itself or beneath itself
 * is 400 `invalid_move`.
 */
export async function moveContents(db: Db, bucket: R2Bucket, actor: Actor, id: string, input: MoveInput) {
  await authorizeGallery(db, actor, id, "write");
  const folders = await folderPaths(db, id);
  const { target } = input;
  assertFolder(folders, target);
  const moved = [...new Set(input.folders.map((f) => {
    if (f.containerId !== id) throw new ApiError("invalid_move", "Folders move only inside their own gallery (container_id must be this gallery)");
    return f.dirname;
  }))];
  for (const f of moved) {
    if (f === "") throw new ApiError("invalid_move", "The root folder cannot be moved");
    assertFolder(folders, f);
    if (isWithin(target, f)) throw new ApiError("invalid_move", `"${f}" cannot move into itself or a folder beneath it`);
  }
  const assetIds = [...new Set(input.assetIds)];
  const assets = await inChunks(assetIds, (chunk) => db.select().from(files).where(and(eq(files.collectionId, id), inArray(files.id, chunk))).all());
  if (assets.length !== assetIds.length) throw notFound("asset");

  const movingFolders = moved.filter((f) => parentOf(f) !== target).sort((a, b) => depthOf(b) - depthOf(a));
  const movingAssets = assets.filter((a) => a.folderPath !== target);
  const names = [...movingFolders.map(baseName), ...movingAssets.map((a) => a.name)];
  const dupes = names.filter((n, i) => names.indexOf(n) !== i);
  if (dupes.length) throw conflictError([...new Set(dupes)].map((n) => ({ path: joinPath(target, n), message: "two moved items have this name" })));
  const taken = await takenNames(db, id, folders, target, names);
  const conflicts = [...taken].map((n) => ({ path: joinPath(target, n), message: "a folder or asset with this name exists" }));
  if (conflicts.length && !input.overwrite) throw conflictError(conflicts);

  const replacedFolders = [...taken].map((n) => joinPath(target, n)).filter((p) => folders.has(p));
  const replacedNames = [...taken].filter((n) => !folders.has(joinPath(target, n)));
  const blocked = replacedFolders.filter((p) => moved.some((f) => isWithin(f, p)) || movingAssets.some((a) => isWithin(a.folderPath, p)));
  if (blocked.length) throw conflictError(blocked.map((p) => ({ path: p, message: "cannot replace a folder holding items being moved" })));

  const stmts: Stmt[] = [];
  let replacedKeys: string[] = [];
  if (taken.size) {
    const replaced = (a: SQL) =>
      sql`(${a}.collection_id = ${id} AND (${sql.join(
        [
          ...replacedFolders.map((p) => under(sql`${a}.folder_path`, p)),
          ...(replacedNames.length ? [sql`(${a}.folder_path = ${target} AND ${a}.name IN (${sql.join(replacedNames.map((n) => sql`${n}`), sql`, `)}))`] : []),
        ],
        sql` OR `,
      )}))`;
    replacedKeys = (await db.select({ k: files.storageKey }).from(files).where(replaced(sql.raw("files"))).all()).map((r) => r.k);
    stmts.push(
      releaseUsedStatement(db, { kind: "studio", id: actor.studioId }, freedBytes(actor.studioId, replaced)),
      db.delete(files).where(replaced(sql.raw("files"))),
      ...replacedFolders.map((p) => db.delete(galleryFolders).where(and(eq(galleryFolders.collectionId, id), under(sql`${galleryFolders.path}`, p)))),
    );
  }
  stmts.push(...planMoves(db, id, target, movingFolders, movingAssets.map((a) => a.id)));
  // One batch: the replaced items go and everything moves together, or nothing changes.
  if (stmts.length) await db.batch(stmts as [Stmt, ...Stmt[]]);
  if (replacedKeys.length) await deleteUnheldObjects(db, bucket, actor.studioId, replacedKeys);
  return {
    moved: { folders: movingFolders.map((f) => joinPath(target, baseName(f))), asset_ids: movingAssets.map((a) => a.id) },
    replaced: { folders: replacedFolders, names: replacedNames },
  };
}

/** Deepest folders first, so a folder moved together with its ancestor lands where asked. */
function planMoves(db: Db, id: string, target: string, movingFolders: string[], assetIds: string[]): Stmt[] {
  const stmts = movingFolders.flatMap((f) => movePrefix(db, id, f, joinPath(target, baseName(f))));
  for (let i = 0; i < assetIds.length; i += 90) {
    stmts.push(db.update(files).set({ folderPath: target }).where(and(eq(files.collectionId, id), inArray(files.id, assetIds.slice(i, i + 90)))));
  }
  return stmts;
}
