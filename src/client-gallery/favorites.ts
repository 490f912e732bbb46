import { and, asc, desc, eq } from "drizzle-orm";
import type { Db } from "../db";
import { files, galleryActivity, galleryFavorites, type ActivityKind } from "../db/schema";
import { notFound } from "../platform/errors";
import { newId } from "../platform/ids";
import { getCollection } from "../gallery/service";

type FileRow = typeof files.$inferSelect;
type Gallery = { collectionId: string; studioId: string };

/** A shared collection's files, in page order: folder, then upload order. */
export function galleryFiles(db: Db, g: Gallery): Promise<FileRow[]> {
  return db
    .select()
    .from(files)
    .where(and(eq(files.collectionId, g.collectionId), eq(files.studioId, g.studioId)))
    .orderBy(asc(files.folderPath), asc(files.createdAt), asc(files.id))
    .all();
}

/** One file of the shared collection; 404 for any other id. */
export async function galleryFile(db: Db, g: Gallery, fileId: string): Promise<FileRow> {
  const row = await db
    .select()
    .from(files)
    .where(and(eq(files.id, fileId), eq(files.collectionId, g.collectionId), eq(files.studioId, g.studioId)))
    .get();
  if (!row) throw notFound("file");
  return row;
}

/** Records one thing a client did (views, hearts, downloads), with their email when known. */
export async function recordActivity(db: Db, g: Gallery, kind: ActivityKind, email: string | null, detail: string, now: number) {
  await db.insert(galleryActivity).values({ id: newId("act"), collectionId: g.collectionId, studioId: g.studioId, kind, email, detail: detail.slice(0, 300), createdAt: now });
}

/** The ids of the files a client hearted, oldest first. */
export async function favoriteIds(db: Db, g: Gallery, email: string): Promise<string[]> {
  const rows = await db
    .select({ fileId: galleryFavorites.fileId })
    .from(galleryFavorites)
    .where(and(eq(galleryFavorites.collectionId, g.collectionId), eq(galleryFavorites.studioId, g.studioId), eq(galleryFavorites.email, email)))
    .orderBy(asc(galleryFavorites.createdAt))
    .all();
  return rows.map((r) => r.fileId);
}

/** Hearts or un-hearts a file of the gallery for `email` (idempotent) and records it. */
export async function setFavorite(db: Db, g: Gallery, email: string, fileId: string, on: boolean, now: number) {
  const file = await galleryFile(db, g, fileId);
  const where = and(eq(galleryFavorites.collectionId, g.collectionId), eq(galleryFavorites.email, email), eq(galleryFavorites.fileId, fileId));
  const res = on
    ? await db.insert(galleryFavorites).values({ collectionId: g.collectionId, studioId: g.studioId, email, fileId, createdAt: now }).onConflictDoNothing().run()
    : await db.delete(galleryFavorites).where(where).run();
  if (res.meta.changes > 0) await recordActivity(db, g, on ? "favorite" : "unfavorite", email, file.name, now);
}

/** For the owner: each client's favorites (email, file names in page order), of one of the studio's collections. */
export async function favoritesByClient(db: Db, studioId: string, collectionId: string) {
  await getCollection(db, studioId, collectionId);
  const rows = await db
    .select({ email: galleryFavorites.email, fileId: files.id, name: files.name })
    .from(galleryFavorites)
    .innerJoin(files, and(eq(files.id, galleryFavorites.fileId), eq(files.collectionId, galleryFavorites.collectionId)))
    .where(and(eq(galleryFavorites.collectionId, collectionId), eq(galleryFavorites.studioId, studioId)))
    .orderBy(asc(galleryFavorites.email), asc(files.folderPath), asc(files.createdAt), asc(files.id))
    .all();
  const out = new Map<string, { email: string; files: { id: string; name: string }[] }>();
  for (const r of rows) {
    if (!out.has(r.email)) out.set(r.email, { email: r.email, files: [] });
    out.get(r.email)!.files.push({ id: r.fileId, name: r.name });
  }
  return [...out.values()];
}

/** For the owner: the latest activity of one of the studio's collections, newest first. */
export async function listActivity(db: Db, studioId: string, collectionId: string, limit = 100) {
  await getCollection(db, studioId, collectionId);
  const rows = await db
    .select()
    .from(galleryActivity)
    .where(and(eq(galleryActivity.collectionId, collectionId), eq(galleryActivity.studioId, studioId)))
    .orderBy(desc(galleryActivity.createdAt), desc(galleryActivity.id))
    .limit(limit)
    .all();
  return rows.map((r) => ({ kind: r.kind, email: r.email, detail: r.detail, at: new Date(r.createdAt).toISOString() }));
}

/** Files of the gallery among `ids` (a favorites list), in page order. */
export async function filesByIds(db: Db, g: Gallery, ids: string[]): Promise<FileRow[]> {
  if (!ids.length) return [];
  const wanted = new Set(ids);
  return (await galleryFiles(db, g)).filter((f) => wanted.has(f.id));
}
