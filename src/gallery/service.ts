import { and, asc, desc, eq, gt, inArray, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db";
import { inChunks } from "../db/batch";
import { categories, collections, files, galleryActivity, galleryFavorites, galleryFolders, galleryMetadata, galleryShares, galleryTeamRights, studios } from "../db/schema";
import type { Env } from "../env";
import { ApiError, notFound } from "../platform/errors";
import { decodeCursor, encodeCursor } from "../platform/cursor";
import { newId } from "../platform/ids";
import {
  getStorageSummary,
  mediaLinks,
  releaseUsedStatement,
  safeKeySegment,
  uploadRecipe,
  type NewUpload,
  type OwnerRef,
  type StorageSpace,
  type UploadIntent,
} from "../platform/storage";
import { parseVariantKey, variantKeysOf } from "../platform/images/keys";
import { makeFileVariants, type ImageEnv } from "./images";
import { storageLimitOf } from "../plans/service";

export const MEDIA_AUDIENCE = "gallery";

type CategoryRow = typeof categories.$inferSelect;
type CollectionRow = typeof collections.$inferSelect;
type FileRow = typeof files.$inferSelect;

const iso = (ms: number) => new Date(ms).toISOString();

/** The studio of a profile; 404 when the profile has no Client Gallery space. */
export async function getStudio(db: Db, profileId: string) {
  const studio = await db.select().from(studios).where(eq(studios.profileId, profileId)).get();
  if (!studio) throw new ApiError("not_found", "This account has no Client Gallery studio");
  return studio;
}

const ownerOf = (studioId: string): OwnerRef => ({ kind: "studio", id: studioId });

/** A studio's storage for platform/storage: its bytes, keys under `gallery/<studioId>/`, the Client Gallery plan's limit. */
function studioSpace(db: Db, studio: { id: string; profileId: string }): StorageSpace {
  return { owner: ownerOf(studio.id), keyPrefix: `gallery/${studio.id}/`, limitBytes: () => storageLimitOf(db, studio.profileId, "clientGallery") };
}

// ---------- categories ----------

export function toPublicCategory(c: CategoryRow) {
  return { id: c.id, name: c.name, createdAt: iso(c.createdAt) };
}

export async function listCategories(db: Db, studioId: string) {
  const rows = await db.select().from(categories).where(eq(categories.studioId, studioId)).orderBy(asc(categories.name)).all();
  return rows.map(toPublicCategory);
}

export async function createCategory(db: Db, studioId: string, name: string, now: number) {
  const row: CategoryRow = { id: newId("cat"), studioId, name, createdAt: now };
  await db.insert(categories).values(row);
  return toPublicCategory(row);
}

export async function renameCategory(db: Db, studioId: string, id: string, name: string) {
  const res = await db.update(categories).set({ name }).where(and(eq(categories.id, id), eq(categories.studioId, studioId))).run();
  if (res.meta.changes !== 1) throw notFound("category");
  const row = await db.select().from(categories).where(eq(categories.id, id)).get();
  return toPublicCategory(row!);
}

/** Deletes a category; its collections stay, uncategorised. */
export async function deleteCategory(db: Db, studioId: string, id: string, now: number) {
  const [, del] = await db.batch([
    db
      .update(collections)
      .set({ categoryId: null, updatedAt: now })
      .where(and(eq(collections.studioId, studioId), eq(collections.categoryId, id))),
    db.delete(categories).where(and(eq(categories.id, id), eq(categories.studioId, studioId))),
  ]);
  if (del.meta.changes !== 1) throw notFound("category");
}

async function assertCategory(db: Db, studioId: string, categoryId: string | null | undefined) {
  if (!categoryId) return;
  const row = await db
    .select({ id: categories.id })
    .from(categories)
    .where(and(eq(categories.id, categoryId), eq(categories.studioId, studioId)))
    .get();
  if (!row) throw notFound("category");
}

// ---------- collections ----------

const fileCount = sql<number>`(SELECT count(*) FROM files WHERE files.collection_id = collections.id)`.mapWith(Number);
const totalBytes = sql<number>`(SELECT coalesce(sum(files.size_bytes), 0) FROM files WHERE files.collection_id = collections.id)`.mapWith(Number);

export function toPublicCollection(c: CollectionRow & { fileCount: number; totalBytes: number }) {
  return {
    id: c.id,
    name: c.name,
    clientName: c.clientName,
    date: c.date,
    categoryId: c.categoryId,
    fileCount: c.fileCount,
    totalBytes: c.totalBytes,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
  };
}

/** The studio's collections, newest first, optionally of one category. */
export async function listCollections(db: Db, studioId: string, categoryId?: string) {
  const where = categoryId ? and(eq(collections.studioId, studioId), eq(collections.categoryId, categoryId)) : eq(collections.studioId, studioId);
  const rows = await db
    .select({ c: collections, fileCount, totalBytes })
    .from(collections)
    .where(where)
    .orderBy(desc(collections.createdAt), desc(collections.id))
    .all();
  return rows.map((r) => toPublicCollection({ ...r.c, fileCount: r.fileCount, totalBytes: r.totalBytes }));
}

/** One collection of the studio; another studio's id is a 404. */
export async function getCollection(db: Db, studioId: string, id: string) {
  const r = await db
    .select({ c: collections, fileCount, totalBytes })
    .from(collections)
    .where(and(eq(collections.id, id), eq(collections.studioId, studioId)))
    .get();
  if (!r) throw notFound("collection");
  return toPublicCollection({ ...r.c, fileCount: r.fileCount, totalBytes: r.totalBytes });
}

async function assertCollection(db: Db, studioId: string, id: string) {
  const row = await db
    .select({ id: collections.id })
    .from(collections)
    .where(and(eq(collections.id, id), eq(collections.studioId, studioId)))
    .get();
  if (!row) throw notFound("collection");
}

export interface CollectionInput {
  name: string;
  clientName?: string;
  /** The v1 API's `description`; the Client Gallery API does not show it. */
  headline?: string;
  date?: string | null;
  categoryId?: string | null;
}

export async function createCollection(db: Db, studioId: string, input: CollectionInput, now: number) {
  await assertCategory(db, studioId, input.categoryId);
  const row: CollectionRow = {
    id: newId("col"),
    studioId,
    name: input.name,
    clientName: input.clientName ?? "",
    headline: input.headline ?? "",
    date: input.date ?? null,
    categoryId: input.categoryId ?? null,
    createdAt: now,
    updatedAt: now,
  };
  await db.insert(collections).values(row);
  return toPublicCollection({ ...row, fileCount: 0, totalBytes: 0 });
}

export async function updateCollection(db: Db, studioId: string, id: string, input: Partial<CollectionInput>, now: number) {
  await assertCategory(db, studioId, input.categoryId);
  const set: Partial<CollectionRow> = { updatedAt: now };
  if (input.name !== undefined) set.name = input.name;
  if (input.clientName !== undefined) set.clientName = input.clientName;
  if (input.headline !== undefined) set.headline = input.headline;
  if (input.date !== undefined) set.date = input.date;
  if (input.categoryId !== undefined) set.categoryId = input.categoryId;
  const res = await db.update(collections).set(set).where(and(eq(collections.id, id), eq(collections.studioId, studioId))).run();
  if (res.meta.changes !== 1) throw notFound("collection");
  return getCollection(db, studioId, id);
}

/** Object keys of a collection live under this prefix (see DESIGN.md, Storage). */
export const collectionPrefix = (studioId: string, collectionId: string) => `gallery/${studioId}/${collectionId}/`;

async function deletePrefix(bucket: R2Bucket, prefix: string, keep: (keys: string[]) => Promise<Set<string>>) {
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix, cursor, limit: 1000 });
    const kept = await keep(page.objects.map((o) => o.key));
    const gone = page.objects.map((o) => o.key).filter((k) => !kept.has(k));
    if (gone.length) await bucket.delete(gone);
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
}

/**
 * Of `keys`, those some file row of the studio still holds (an asset linked into another
 * gallery); an image variant's key is held while its original is.
 */
export async function heldKeys(db: Db, studioId: string, keys: string[]): Promise<Set<string>> {
  const originals = keys.map((k) => parseVariantKey(k)?.storageKey ?? k);
  const rows = await inChunks([...new Set(originals)], (chunk) =>
    db.selectDistinct({ k: files.storageKey }).from(files).where(and(eq(files.studioId, studioId), inArray(files.storageKey, chunk))).all(),
  );
  const held = new Set(rows.map((r) => r.k));
  return new Set(keys.filter((_, i) => held.has(originals[i]!)));
}

/** Deletes the objects of `keys` (and their image variants) that no file row of the studio holds any more. */
export async function deleteUnheldObjects(db: Db, bucket: R2Bucket, studioId: string, keys: string[]) {
  const held = await heldKeys(db, studioId, keys);
  const unheld = [...new Set(keys)].filter((k) => !held.has(k));
  const gone = [...unheld, ...variantKeysOf(unheld)];
  for (let i = 0; i < gone.length; i += 1000) await bucket.delete(gone.slice(i, i + 1000));
}

/**
 * SQL for the bytes that removing the file rows matching `rows(alias)` frees: the
 * size of each distinct key no other row of the studio holds. Linked copies count once.
 */
export function freedBytes(studioId: string, rows: (alias: SQL) => SQL) {
  const [f, g] = [sql.raw("f"), sql.raw("g")];
  return sql`(SELECT coalesce(sum(sz), 0) FROM (SELECT f.storage_key, max(f.size_bytes) AS sz FROM files f WHERE f.studio_id = ${studioId} AND ${rows(f)}
    AND NOT EXISTS (SELECT 1 FROM files g WHERE g.studio_id = ${studioId} AND g.storage_key = f.storage_key AND NOT (${rows(g)})) GROUP BY f.storage_key))`;
}

/**
 * Deletes a collection, its file rows, its v1 folders, rights and metadata, and frees the bytes
 * of objects no other gallery holds, in one batch; then removes those objects. Uploads still in
 * flight for it fail at /complete and are swept.
 */
export async function deleteCollection(db: Db, bucket: R2Bucket, studioId: string, id: string) {
  const owned = and(eq(collections.id, id), eq(collections.studioId, studioId));
  const exists = sql`EXISTS (SELECT 1 FROM collections WHERE ${owned})`;
  const keys = (await db.select({ k: files.storageKey }).from(files).where(and(eq(files.collectionId, id), eq(files.studioId, studioId))).all()).map((r) => r.k);
  const [, , , , , , , , del] = await db.batch([
    releaseUsedStatement(db, ownerOf(studioId), freedBytes(studioId, (a) => sql`${a}.collection_id = ${id}`), exists),
    db.delete(files).where(and(eq(files.collectionId, id), eq(files.studioId, studioId), exists)),
    db.delete(galleryFolders).where(and(eq(galleryFolders.collectionId, id), eq(galleryFolders.studioId, studioId), exists)),
    db.delete(galleryTeamRights).where(and(eq(galleryTeamRights.collectionId, id), eq(galleryTeamRights.studioId, studioId), exists)),
    db.delete(galleryMetadata).where(and(eq(galleryMetadata.collectionId, id), eq(galleryMetadata.studioId, studioId), exists)),
    // What its clients had: the share link, their favorites and the activity log.
    db.delete(galleryShares).where(and(eq(galleryShares.collectionId, id), eq(galleryShares.studioId, studioId), exists)),
    db.delete(galleryFavorites).where(and(eq(galleryFavorites.collectionId, id), eq(galleryFavorites.studioId, studioId), exists)),
    db.delete(galleryActivity).where(and(eq(galleryActivity.collectionId, id), eq(galleryActivity.studioId, studioId), exists)),
    db.delete(collections).where(owned),
  ]);
  if (del.meta.changes !== 1) throw notFound("collection");
  await deleteUnheldObjects(db, bucket, studioId, keys);
  await deletePrefix(bucket, collectionPrefix(studioId, id), (k) => heldKeys(db, studioId, k));
}

// ---------- files ----------

export function toPublicFile(f: FileRow) {
  return {
    id: f.id,
    collectionId: f.collectionId,
    name: f.name,
    contentType: f.contentType,
    sizeBytes: f.sizeBytes,
    clientName: f.clientName,
    storageKey: f.storageKey,
    createdAt: iso(f.createdAt),
  };
}

const CursorSchema = z.object({ c: z.number().int().safe(), i: z.string().min(1).max(64) });
const fileCursor = (f: FileRow) => encodeCursor({ c: f.createdAt, i: f.id });

/**
 * A page of a collection's file rows (oldest first, keyset-paginated), each with a signed media
 * URL. `origin` is the public origin the URLs point at. The v1 API shows the same page its way.
 */
export async function listFileRows(
  db: Db,
  env: Env,
  studioId: string,
  collectionId: string,
  page: { limit: number; cursor?: string },
  origin: string,
  now: number,
) {
  await assertCollection(db, studioId, collectionId);
  const after = page.cursor ? decodeCursor(page.cursor, CursorSchema) : null;
  const base = and(eq(files.collectionId, collectionId), eq(files.studioId, studioId));
  const rows = await db
    .select()
    .from(files)
    .where(after ? and(base, or(gt(files.createdAt, after.c), and(eq(files.createdAt, after.c), gt(files.id, after.i)))) : base)
    .orderBy(asc(files.createdAt), asc(files.id))
    .limit(page.limit + 1)
    .all();
  const more = rows.length > page.limit;
  const slice = more ? rows.slice(0, page.limit) : rows;
  const links = await mediaLinks(env, origin, MEDIA_AUDIENCE, "/api/media", ownerOf(studioId), slice.map((f) => f.storageKey), now);
  return { rows: slice.map((f, i) => ({ row: f, link: links[i]! })), nextCursor: more ? fileCursor(slice[slice.length - 1]!) : null };
}

/** The studio's file with this storage key (media tokens re-check it exists and is theirs). */
export async function findFileByKey(db: Db, studioId: string, storageKey: string) {
  const rows = db.select().from(files).where(and(eq(files.storageKey, storageKey), eq(files.studioId, studioId)));
  return (await rows.orderBy(sql`${files.linkedFrom} IS NOT NULL`).limit(1).get()) ?? null;
}

/** Deletes one file of a collection; its bytes are freed and its object removed when no other gallery holds it. */
export async function deleteFile(db: Db, bucket: R2Bucket, studioId: string, collectionId: string, fileId: string) {
  const row = await db
    .select()
    .from(files)
    .where(and(eq(files.id, fileId), eq(files.collectionId, collectionId), eq(files.studioId, studioId)))
    .get();
  if (!row) throw notFound("file");
  const [, del] = await db.batch([
    releaseUsedStatement(db, ownerOf(studioId), freedBytes(studioId, (a) => sql`${a}.id = ${fileId}`), sql`EXISTS (SELECT 1 FROM files WHERE id = ${fileId} AND studio_id = ${studioId})`),
    db.delete(files).where(and(eq(files.id, fileId), eq(files.studioId, studioId))),
  ]);
  if (del.meta.changes !== 1) throw notFound("file");
  await deleteUnheldObjects(db, bucket, studioId, [row.storageKey]);
}

// ---------- uploads ----------

export interface UploadTarget {
  collectionId: string;
  clientName?: string;
  fileName: string;
  contentType?: string;
  sizeBytes: number;
}

function fileKey(studioId: string, collectionId: string, fileId: string, fileName: string) {
  return `${collectionPrefix(studioId, collectionId)}${fileId}/${safeKeySegment(fileName)}`;
}

/** Gallery's part of a new upload: the collection check, then a key under the collection's prefix. */
async function prepareUpload(db: Db, studioId: string, target: UploadTarget): Promise<NewUpload> {
  await assertCollection(db, studioId, target.collectionId);
  const fileId = newId("gf");
  return {
    storageKey: fileKey(studioId, target.collectionId, fileId, target.fileName),
    sizeBytes: target.sizeBytes,
    contentType: target.contentType,
    meta: { fileId, collectionId: target.collectionId, fileName: target.fileName.slice(0, 255), clientName: target.clientName ?? "" },
  };
}

/**
 * Step 1 of a direct upload: checks the collection, reserves the declared size against the
 * plan's limit (413 `storage_limit_exceeded`) and returns a presigned PUT URL for a key the
 * server picked, with the headers the PUT must send.
 */
export async function presignUpload(db: Db, env: Env, studio: { id: string; profileId: string }, target: UploadTarget, requestUrl: string, now: number) {
  return uploadRecipe.presign(db, env, studioSpace(db, studio), requestUrl, now, () => prepareUpload(db, studio.id, target));
}

function insertFileStatement(db: Db, studioId: string, intent: UploadIntent, object: R2Object, guard: SQL, now: number) {
  const m = intent.meta;
  // Columns in table order: id, studio_id, collection_id, storage_key, name, content_type, size_bytes, client_name, folder_path, created_at, linked_from, thumb_key, web_key.
  return db
    .insert(files)
    .select(
      sql`SELECT ${m.fileId}, ${studioId}, ${m.collectionId}, ${intent.storageKey}, ${m.fileName}, ${intent.contentType}, ${object.size}, ${m.clientName ?? ""}, '', ${now}, NULL, NULL, NULL
        WHERE ${guard}`,
    );
}

/**
 * Step 3 of a direct upload (the checks are uploadRecipe.complete's). The file row, the usage
 * and the intent change in one batch; a repeat returns the same file.
 */
export async function completeGalleryUpload(
  db: Db,
  env: ImageEnv,
  studio: { id: string; profileId: string },
  body: { storageKey: string; collectionId?: string; sizeBytes?: number; contentType?: string },
  now: number,
) {
  const { row, created } = await uploadRecipe.complete(db, env.FILES, studioSpace(db, studio), {
    storageKey: body.storageKey,
    sizeBytes: body.sizeBytes,
    now,
    checkIntent: (intent) => {
      if (body.collectionId && intent.meta.collectionId !== body.collectionId) throw notFound("upload");
    },
    insertRow: (i, object, guard) => insertFileStatement(db, studio.id, i, object, guard, now),
    findRow: () => findFileByKey(db, studio.id, body.storageKey),
    claimCondition: (i) => sql`EXISTS (SELECT 1 FROM collections WHERE id = ${i.meta.collectionId} AND studio_id = ${studio.id})`,
  });
  if (created) await makeFileVariants(db, env, row);
  return { file: toPublicFile(row), created };
}

/**
 * The proxy route: uploadRecipe.proxy, the same reserve -> put -> complete path as a direct
 * upload with the Worker doing the PUT. A failed write releases the reservation.
 */
export async function proxyUpload(db: Db, env: ImageEnv, studio: { id: string; profileId: string }, target: UploadTarget & { file: Blob }, now: number) {
  const prepare = () => prepareUpload(db, studio.id, target);
  return uploadRecipe.proxy(db, env.FILES, studioSpace(db, studio), prepare, target.file, now, (storageKey) =>
    completeGalleryUpload(db, env, studio, { storageKey }, now),
  );
}

export async function studioStorage(db: Db, studio: { id: string; profileId: string }) {
  return getStorageSummary(db, studioSpace(db, studio));
}
