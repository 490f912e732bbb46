import { and, desc, eq, getTableColumns, inArray, lt, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db";
import { inChunks } from "../db/batch";
import { collections, files } from "../db/schema";
import type { Env } from "../env";
import { decodeCursor, encodeCursor } from "../platform/cursor";
import { notFound } from "../platform/errors";
import { newId } from "../platform/ids";
import { createCollection, deleteCollection, listFileRows, updateCollection } from "../gallery/service";
import { assertOwner, authorizeGallery, readableGalleryIds, teamsOfMember, type Actor } from "./access";

type CollectionRow = typeof collections.$inferSelect;
type FileRow = typeof files.$inferSelect;

const iso = (ms: number) => new Date(ms).toISOString();

/** A gallery as the v1 API shows it: the collection's name and headline (`description`). */
export function toV1Gallery(c: CollectionRow, extra: { asset_count?: number; access?: string } = {}) {
  return { id: c.id, name: c.name, description: c.headline, ...extra, created_at: iso(c.createdAt), updated_at: iso(c.updatedAt) };
}

/** An asset: a file of the gallery with its folder path (`dirname`, "" = root). */
export function toV1Asset(f: FileRow) {
  return { id: f.id, gallery_id: f.collectionId, name: f.name, type: f.contentType, size: f.sizeBytes, dirname: f.folderPath, created_at: iso(f.createdAt) };
}

const CursorSchema = z.object({ c: z.number().int().safe(), i: z.string().min(1).max(64) });

/** The galleries the actor can read, newest first, `{ id, name }` each, keyset-paged. */
export async function listGalleries(db: Db, actor: Actor, page: { limit: number; cursor?: string }) {
  const after = page.cursor ? decodeCursor(page.cursor, CursorSchema) : null;
  const conds = [eq(collections.studioId, actor.studioId)];
  if (actor.kind === "member") conds.push(sql`${collections.id} IN (SELECT collection_id FROM gallery_team_rights WHERE team_id IN ${teamsOfMember(actor.memberId)})`);
  if (after) conds.push(or(lt(collections.createdAt, after.c), and(eq(collections.createdAt, after.c), lt(collections.id, after.i)))!);
  const rows = await db
    .select({ id: collections.id, name: collections.name, createdAt: collections.createdAt })
    .from(collections)
    .where(and(...conds))
    .orderBy(desc(collections.createdAt), desc(collections.id))
    .limit(page.limit + 1)
    .all();
  const more = rows.length > page.limit;
  const slice = more ? rows.slice(0, page.limit) : rows;
  const last = slice[slice.length - 1];
  return { galleries: slice.map((r) => ({ id: r.id, name: r.name })), next_cursor: more && last ? encodeCursor({ c: last.createdAt, i: last.id }) : null };
}

/** One gallery the actor can read, with its asset count and the actor's access level. */
export async function getGallery(db: Db, actor: Actor, id: string) {
  const { gallery, level } = await authorizeGallery(db, actor, id, "read");
  const count = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(files).where(eq(files.collectionId, id)).get();
  return toV1Gallery(gallery, { asset_count: count?.n ?? 0, access: level });
}

/** A new gallery (a Client Gallery collection); owner only. */
export async function createGallery(db: Db, actor: Actor, input: { name: string; description: string }, now: number) {
  assertOwner(actor);
  const created = await createCollection(db, actor.studioId, { name: input.name, headline: input.description }, now);
  return getGallery(db, actor, created.id);
}

export async function updateGallery(db: Db, actor: Actor, id: string, input: { name?: string; description?: string }, now: number) {
  await authorizeGallery(db, actor, id, "write");
  await updateCollection(db, actor.studioId, id, { name: input.name, headline: input.description }, now);
  return getGallery(db, actor, id);
}

/**
 * Deletes a gallery (manage access): its rights, metadata and folders go, its assets are
 * unlinked, and objects no other gallery holds are removed and their bytes freed.
 */
export async function deleteGallery(db: Db, bucket: R2Bucket, actor: Actor, id: string) {
  await authorizeGallery(db, actor, id, "manage");
  await deleteCollection(db, bucket, actor.studioId, id);
}

/** A page of the gallery's assets with signed URLs (read access). */
export async function listAssets(db: Db, env: Env, actor: Actor, id: string, page: { limit: number; cursor?: string }, origin: string, now: number) {
  await authorizeGallery(db, actor, id, "read");
  const { rows, nextCursor } = await listFileRows(db, env, actor.studioId, id, page, origin, now);
  return { assets: rows.map(({ row, link }) => ({ ...toV1Asset(row), url: link.url, url_expires_at: link.expiresAt })), next_cursor: nextCursor };
}

/**
 * Links assets of other galleries of the studio into this one (write access here, read access
 * to each source gallery for members). One stored object, counted once against the quota: the
 * new rows share its key. An asset already in the gallery is left as it is. All or nothing:
 * an unknown or unreadable asset id is a 404 and nothing is linked.
 */
export async function addAssets(db: Db, actor: Actor, id: string, assetIds: string[], now: number) {
  await authorizeGallery(db, actor, id, "write");
  const unique = [...new Set(assetIds)];
  const sources = await inChunks(unique, (chunk) =>
    db.select().from(files).where(and(eq(files.studioId, actor.studioId), inArray(files.id, chunk))).all(),
  );
  const readable = actor.kind === "member" ? await readableGalleryIds(db, actor.memberId, [...new Set(sources.map((f) => f.collectionId))]) : null;
  const found = new Set(sources.filter((f) => !readable || readable.has(f.collectionId)).map((f) => f.id));
  const missing = unique.filter((a) => !found.has(a));
  if (missing.length) throw notFound(`asset ${missing.slice(0, 10).join(", ")}`);
  const rows = sources.map((f) => ({
    ...f,
    id: newId("gf"),
    collectionId: id,
    folderPath: "",
    createdAt: now,
    linkedFrom: f.id,
  }));
  // Rows per insert stay under D1's 100 bound parameters (7 rows of 14 columns); one batch keeps it all or nothing.
  const perInsert = Math.floor(100 / Object.keys(getTableColumns(files)).length);
  const inserts = [];
  for (let i = 0; i < rows.length; i += perInsert) {
    inserts.push(db.insert(files).values(rows.slice(i, i + perInsert)).onConflictDoNothing({ target: [files.collectionId, files.storageKey] }));
  }
  if (inserts.length) await db.batch(inserts as [(typeof inserts)[0], ...typeof inserts]);
  const keys = [...new Set(sources.map((f) => f.storageKey))];
  const linked = await inChunks(keys, (chunk) =>
    db.select().from(files).where(and(eq(files.collectionId, id), inArray(files.storageKey, chunk))).all(),
  );
  return { assets: linked.map(toV1Asset) };
}
