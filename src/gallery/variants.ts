import { and, eq } from "drizzle-orm";
import type { Db } from "../db";
import { files } from "../db/schema";
import type { Env } from "../env";
import { parseVariantKey, VARIANT_CONTENT_TYPE, VARIANT_EXT } from "../platform/images/keys";
import { mediaLinks } from "../platform/storage";
import { findFileByKey, listFileRows, MEDIA_AUDIENCE, toPublicFile } from "./service";

/**
 * Image variants of Client Gallery files: a thumbnail (~400 px long edge) and a web size
 * (~2048 px), JPEGs stored in R2 next to the original (platform/images/keys.ts) and recorded
 * on the file row (`thumbKey`, `webKey`; null = none: not an image or undecodable, show the
 * generic icon). Made once at upload completion (./images.ts). They are served by the same
 * signed, short-lived media tokens as originals: a token names the variant's key, and the
 * media route resolves it with findMediaByKey.
 */

export { parseVariantKey, variantKey, type VariantKind } from "../platform/images/keys";

/** What a variant URL needs of a file row (a `files` row has it). */
export interface VariantRow {
  studioId: string;
  thumbKey: string | null;
  webKey: string | null;
}

export interface VariantUrlOptions {
  /** Public origin the URLs point at (e.g. `new URL(c.req.url).origin`). */
  origin: string;
  now: number;
  /** Media token audience; default the Client Gallery API's (MEDIA_AUDIENCE, served at /api/media). */
  audience?: string;
  /** Media route path; default "/api/media". A public page passes its own audience and route. */
  mediaPath?: string;
}

export interface VariantUrls {
  thumbnailUrl?: string;
  webUrl?: string;
}

/**
 * Signed URLs of the variants of many files of one studio, in order (one key import, one token
 * per variant). A file without a variant gets no property for it.
 */
export async function variantUrlsOfMany(env: Env, rows: VariantRow[], opts: VariantUrlOptions): Promise<VariantUrls[]> {
  const keys = rows.flatMap((r) => [r.thumbKey, r.webKey].filter((k): k is string => !!k));
  if (!keys.length) return rows.map(() => ({}));
  const studioId = rows[0]!.studioId;
  if (rows.some((r) => r.studioId !== studioId)) throw new Error("variantUrlsOfMany: rows of one studio only");
  const owner = { kind: "studio", id: studioId } as const;
  const links = await mediaLinks(env, opts.origin, opts.audience ?? MEDIA_AUDIENCE, opts.mediaPath ?? "/api/media", owner, keys, opts.now);
  let i = 0;
  return rows.map((r) => {
    const out: VariantUrls = {};
    if (r.thumbKey) out.thumbnailUrl = links[i++]!.url;
    if (r.webKey) out.webUrl = links[i++]!.url;
    return out;
  });
}

/** Signed, short-lived URLs of one file's variants: `{ thumbnailUrl?, webUrl? }`. */
export async function variantUrlsOf(env: Env, file: VariantRow, opts: VariantUrlOptions): Promise<VariantUrls> {
  return (await variantUrlsOfMany(env, [file], opts))[0]!;
}

/**
 * For a media route's `find`: the studio's file for a token's key, original or variant. A
 * variant resolves to its own key, image/jpeg and a name like `IMG_1.png-thumb.jpg`, and only
 * while a file row of the studio still records it.
 */
export async function findMediaByKey(db: Db, studioId: string, key: string): Promise<{ storageKey: string; contentType: string; name: string } | null> {
  const variant = parseVariantKey(key);
  if (!variant) return findFileByKey(db, studioId, key);
  const col = variant.kind === "thumb" ? files.thumbKey : files.webKey;
  const row = await db
    .select({ name: files.name })
    .from(files)
    .where(and(eq(files.studioId, studioId), eq(files.storageKey, variant.storageKey), eq(col, key)))
    .limit(1)
    .get();
  return row ? { storageKey: key, contentType: VARIANT_CONTENT_TYPE, name: `${row.name}-${variant.kind}.${VARIANT_EXT}` } : null;
}

/**
 * The Client Gallery API's page of a collection's files (see listFileRows): each file with its
 * signed URL and, where they exist, `thumbnailUrl` and `webUrl` signed the same way.
 */
export async function listFiles(...args: Parameters<typeof listFileRows>) {
  const [, env, , , , origin, now] = args;
  const { rows, nextCursor } = await listFileRows(...args);
  const variants = await variantUrlsOfMany(env, rows.map(({ row }) => row), { origin, now });
  return { files: rows.map(({ row, link }, i) => ({ ...toPublicFile(row), ...link, ...variants[i] })), nextCursor };
}
