import { and, eq } from "drizzle-orm";
import type { Db } from "../db";
import { collections, files, galleryShares, studios, type DownloadMode } from "../db/schema";
import { hashPassword } from "../platform/crypto";
import { notFound } from "../platform/errors";
import { randomToken } from "../platform/ids";
import { getCollection } from "../gallery/service";
import { expiryMs, type ShareInput } from "./schemas";

export type ShareRow = typeof galleryShares.$inferSelect;

/** New links' download setting: a delivery gallery is there to be downloaded. */
export const DEFAULT_DOWNLOADS: DownloadMode = "original";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A slug is 128 random bits (base64url, 22 chars): the link is the first secret. */
export const newSlug = () => randomToken(16);

export const isExpired = (share: Pick<ShareRow, "expiresAt">, now: number) => share.expiresAt !== null && now >= share.expiresAt;

/** The API's view of a collection's share settings; never a password or PIN, only whether one is set. */
export function toPublicShare(collectionId: string, share: ShareRow | null, origin: string, now: number) {
  return {
    collectionId,
    enabled: share?.enabled ?? false,
    url: share ? `${origin}/g/${share.slug}` : null,
    slug: share?.slug ?? null,
    passwordProtected: !!share?.passwordHash,
    pinProtected: !!share?.pinHash,
    expiresAt: iso(share?.expiresAt ?? null),
    expired: share ? isExpired(share, now) : false,
    downloads: share?.downloads ?? DEFAULT_DOWNLOADS,
    coverFileId: share?.coverFileId ?? null,
    updatedAt: iso(share?.updatedAt ?? null),
  };
}

/** The share row of one of the studio's collections (null when never shared); another studio's collection is a 404. */
export async function getShare(db: Db, studioId: string, collectionId: string): Promise<ShareRow | null> {
  await getCollection(db, studioId, collectionId);
  return (await db.select().from(galleryShares).where(and(eq(galleryShares.collectionId, collectionId), eq(galleryShares.studioId, studioId))).get()) ?? null;
}

async function assertCover(db: Db, studioId: string, collectionId: string, fileId: string) {
  const row = await db
    .select({ id: files.id, type: files.contentType })
    .from(files)
    .where(and(eq(files.id, fileId), eq(files.collectionId, collectionId), eq(files.studioId, studioId)))
    .get();
  if (!row) throw notFound("cover file");
}

/**
 * Creates or changes a collection's share settings (only the fields sent change; the first call
 * turns the link on unless `enabled: false`). A new slug, password or PIN bumps the access
 * version, so every visitor cookie issued before stops working at once. Passwords and PINs are
 * stored as PBKDF2 hashes only.
 */
export async function saveShare(db: Db, studioId: string, collectionId: string, input: ShareInput, now: number, pepper = ""): Promise<ShareRow> {
  const current = await getShare(db, studioId, collectionId);
  if (input.coverFileId) await assertCover(db, studioId, collectionId, input.coverFileId);
  const next: ShareRow = current ?? {
    collectionId,
    studioId,
    enabled: true,
    slug: newSlug(),
    passwordHash: null,
    pinHash: null,
    expiresAt: null,
    downloads: DEFAULT_DOWNLOADS,
    coverFileId: null,
    accessVersion: 1,
    createdAt: now,
    updatedAt: now,
  };
  let bump = false;
  if (input.enabled !== undefined) next.enabled = input.enabled;
  if (input.downloads !== undefined) next.downloads = input.downloads;
  if (input.coverFileId !== undefined) next.coverFileId = input.coverFileId;
  if (input.expiresAt !== undefined) next.expiresAt = input.expiresAt === null ? null : expiryMs(input.expiresAt);
  if (input.password !== undefined) {
    next.passwordHash = input.password === null ? null : await hashPassword(input.password, pepper);
    bump = true;
  }
  if (input.pin !== undefined) {
    next.pinHash = input.pin === null ? null : await hashPassword(input.pin, pepper);
    bump = true;
  }
  if (input.regenerateSlug && current) {
    next.slug = newSlug();
    bump = true;
  }
  if (bump && current) next.accessVersion = current.accessVersion + 1;
  next.updatedAt = now;
  if (!current) {
    await db.insert(galleryShares).values(next);
  } else {
    const { collectionId: _c, studioId: _s, createdAt: _t, ...set } = next;
    await db
      .update(galleryShares)
      .set(set)
      .where(and(eq(galleryShares.collectionId, collectionId), eq(galleryShares.studioId, studioId)));
  }
  return next;
}

/** What the public page needs of a slug: the share, its collection and the studio's name; null when unknown. */
export async function findShareBySlug(db: Db, slug: string) {
  if (!/^[A-Za-z0-9_-]{10,64}$/.test(slug)) return null;
  const row = await db
    .select({ share: galleryShares, collection: collections, studioName: studios.name })
    .from(galleryShares)
    .innerJoin(collections, and(eq(collections.id, galleryShares.collectionId), eq(collections.studioId, galleryShares.studioId)))
    .innerJoin(studios, eq(studios.id, galleryShares.studioId))
    .where(eq(galleryShares.slug, slug))
    .get();
  return row ?? null;
}

export type SharedGallery = NonNullable<Awaited<ReturnType<typeof findShareBySlug>>>;
