import { and, eq, inArray, isNull, lte } from "drizzle-orm";
import type { Db } from "../db";
import { tusUploads } from "../db/schema";
import { ApiError } from "../platform/errors";
import { newId } from "../platform/ids";
import {
  abandonUpload,
  extendUploadIntent,
  getUploadIntent,
  INTENT_GRACE_MS,
  normalizeContentType,
  safeKeySegment,
  uploadRecipe,
  type StorageSpace,
} from "../platform/storage";
import { userText } from "../platform/text";
import { parseMetadata, type ChecksumAlgorithm } from "./protocol";
import { acquireLease, adoptPartSize, getUpload, offsetMismatch, releaseLease, UPLOAD_TTL_MS, type Scope, type TusUpload } from "./state";
import { uploadFolder, writeChunk } from "./writer";

export type { TusUpload } from "./state";
export { UPLOAD_TTL_MS } from "./state";

/** Who uploads: the space the bytes count against, and the creator (only they see the upload). */
export interface Uploader {
  space: StorageSpace;
  creator: string;
}

/** R2's rules: parts of at least 5 MiB, at most 10,000 of them. One part is all a PATCH holds in memory. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
export const MAX_PART_SIZE = 64 * 1024 * 1024;
const MAX_PARTS = 10_000;
/** The largest upload the server takes whatever the plan (10,000 parts of the largest part size). */
export const ABSOLUTE_MAX_SIZE = MAX_PARTS * MAX_PART_SIZE;

/**
 * The default part size of an upload: the smallest whole MiB >= 5 MiB that fits `maxLength` in
 * 9,000 parts (spare numbers for retries). A first PATCH of 5..64 MiB that fits the same rule
 * replaces it with its own length (patchUpload), so steady chunk sizes need no tails.
 */
export function partSizeFor(maxLength: number): number {
  const mib = 1024 * 1024;
  return Math.min(MAX_PART_SIZE, Math.max(MIN_PART_SIZE, Math.ceil(maxLength / 9_000 / mib) * mib));
}

/** The filename metadata becomes the asset name: one line, no path. */
const FileName = userText({ min: 1, max: 255 }).refine((s) => !s.includes("/") && s !== "." && s !== "..", "must be a name, not a path");

const scopeOf = (u: Uploader): Scope => ({ ownerKind: u.space.owner.kind, ownerId: u.space.owner.id, creator: u.creator });

/** The largest Upload-Length this uploader may declare: the plan's storage limit (413 above it). */
export async function maxSizeFor(u: Uploader): Promise<number> {
  return Math.min(await u.space.limitBytes(), ABSOLUTE_MAX_SIZE);
}

function tooLarge(max: number): ApiError {
  return new ApiError("payload_too_large", `Upload-Length is over this plan's maximum upload size of ${max} bytes`);
}

async function reserve(db: Db, u: Uploader, row: Pick<TusUpload, "id" | "storageKey" | "contentType">, length: number, now: number) {
  await uploadRecipe.reserve(db, u.space, { storageKey: row.storageKey, sizeBytes: length, contentType: row.contentType, meta: { uploadId: row.id } }, now, now + UPLOAD_TTL_MS);
}

/**
 * Creates an upload (tus creation): reserves `length` against the space's limit (413
 * `storage_limit_exceeded`; over the plan's max size 413 `payload_too_large`), opens the R2
 * multipart upload and records the state. A deferred length reserves when it is declared.
 */
export async function createUpload(db: Db, bucket: R2Bucket, u: Uploader, input: { length: number | null; metadata: string }, now: number): Promise<TusUpload> {
  const meta = parseMetadata(input.metadata);
  const maxLength = await maxSizeFor(u);
  if (input.length !== null && input.length > maxLength) throw tooLarge(maxLength);
  const named = FileName.safeParse(meta.filename ?? meta.name ?? "upload");
  if (!named.success) throw new ApiError("invalid_request", `Upload-Metadata filename ${named.error.issues[0]?.message ?? "is invalid"}`);
  const filename = named.data;
  const id = newId("tus");
  const storageKey = `${u.space.keyPrefix}tus/${id}/${safeKeySegment(filename)}`;
  const contentType = normalizeContentType(meta.filetype ?? meta.type);
  if (input.length !== null) await reserve(db, u, { id, storageKey, contentType }, input.length, now);
  try {
    const empty = input.length === 0;
    if (empty) await bucket.put(storageKey, new Uint8Array(0), { httpMetadata: { contentType } });
    const multipart = empty ? null : await bucket.createMultipartUpload(storageKey, { httpMetadata: { contentType } });
    return await db
      .insert(tusUploads)
      .values({
        id,
        ownerKind: u.space.owner.kind,
        ownerId: u.space.owner.id,
        creator: u.creator,
        storageKey,
        multipartId: multipart?.uploadId ?? null,
        length: input.length,
        maxLength,
        partSize: partSizeFor(input.length ?? maxLength),
        metadata: input.metadata,
        filename,
        contentType,
        createdAt: now,
        expiresAt: now + UPLOAD_TTL_MS,
        completedAt: empty ? now : null,
      })
      .returning()
      .get();
  } catch (err) {
    const intent = await getUploadIntent(db, u.space.owner, storageKey);
    if (intent) await abandonUpload(db, bucket, u.space.owner, intent);
    throw err;
  }
}

/** The caller's upload (HEAD): 404 for another creator's or unknown, 410 once expired. */
export function headUpload(db: Db, u: Uploader, id: string, now: number): Promise<TusUpload> {
  return getUpload(db, scopeOf(u), id, now);
}

export interface PatchInput {
  offset: number;
  /** Upload-Length sent with the PATCH (declares a deferred length). */
  length?: number;
  contentLength?: number;
  checksum?: { algorithm: ChecksumAlgorithm; digest: Uint8Array };
  body: ReadableStream<Uint8Array> | null;
}

/** Declares a deferred length: checks it, reserves it, records it (once). */
async function declareLength(db: Db, bucket: R2Bucket, u: Uploader, row: TusUpload, length: number, now: number): Promise<TusUpload> {
  if (length < row.offset) throw new ApiError("invalid_request", "Upload-Length is below the bytes already received");
  if (length > row.maxLength) throw tooLarge(row.maxLength);
  await reserve(db, u, row, length, now);
  const set = await db.update(tusUploads).set({ length }).where(and(eq(tusUploads.id, row.id), isNull(tusUploads.length))).returning().get();
  if (set) return set;
  const intent = await getUploadIntent(db, u.space.owner, row.storageKey);
  if (intent) await abandonUpload(db, bucket, u.space.owner, intent);
  throw offsetMismatch(row.offset);
}

/**
 * Appends one PATCH body at `offset` (see writeChunk) under the upload's lease: 409
 * `upload_offset_mismatch` when the offset is not the upload's, 423 `upload_locked` while
 * another PATCH writes it, 460 `checksum_mismatch`, 413 past Upload-Length. Pushes the
 * expiry (and the quota reservation's) to 24 h after this PATCH. Returns the new offset.
 */
export async function patchUpload(db: Db, bucket: R2Bucket, u: Uploader, id: string, input: PatchInput, clock: () => number): Promise<TusUpload> {
  let row = await getUpload(db, scopeOf(u), id, clock());
  if (input.offset !== row.offset) throw offsetMismatch(row.offset);
  if (input.length !== undefined && row.length !== null && input.length !== row.length) throw new ApiError("invalid_request", "Upload-Length cannot change");
  if (input.length !== undefined && row.length === null) row = await declareLength(db, bucket, u, row, input.length, clock());
  const maxBytes = (row.length ?? row.maxLength) - row.offset;
  if (input.contentLength !== undefined && input.contentLength > maxBytes) throw new ApiError("payload_too_large", "The body goes past Upload-Length");
  if (row.completedAt !== null) {
    if (input.contentLength) throw new ApiError("payload_too_large", "This upload is complete");
    return row;
  }
  const leaseId = await acquireLease(db, row, input.offset, clock());
  try {
    const chunk = input.contentLength;
    // Not for a body that is the whole upload: that one streams as several default-size parts.
    const fitsParts = chunk !== undefined && chunk >= MIN_PART_SIZE && chunk <= MAX_PART_SIZE && chunk * 9_000 >= (row.length ?? row.maxLength) && chunk !== row.length;
    if (fitsParts && row.nextPart === 1 && row.offset === 0 && chunk !== row.partSize && (await adoptPartSize(db, row.id, leaseId, chunk))) {
      row = { ...row, partSize: chunk };
    }
    await writeChunk(db, bucket, row, leaseId, { body: input.body, contentLength: input.contentLength, maxBytes, length: row.length, checksum: input.checksum, clock });
  } finally {
    await releaseLease(db, row.id, leaseId);
  }
  const after = await getUpload(db, scopeOf(u), id, clock());
  if (after.length !== null) await extendUploadIntent(db, u.space.owner, after.storageKey, after.expiresAt + INTENT_GRACE_MS);
  return after;
}

/** Removes an upload's bytes (multipart parts, tails, the object) and its reservation, then its row. */
async function discardUpload(db: Db, bucket: R2Bucket, row: TusUpload): Promise<void> {
  const owner = { kind: row.ownerKind, id: row.ownerId };
  if (!row.injectedFileId) {
    if (row.multipartId && row.completedAt === null) {
      await bucket
        .resumeMultipartUpload(row.storageKey, row.multipartId)
        .abort()
        .catch(() => undefined);
    }
    const listed = await bucket.list({ prefix: uploadFolder(row.storageKey), limit: 1000 });
    const keys = listed.objects.map((o) => o.key).filter((k) => k !== row.storageKey);
    if (keys.length) await bucket.delete(keys);
    const intent = await getUploadIntent(db, owner, row.storageKey);
    if (intent) await abandonUpload(db, bucket, owner, intent);
    else await bucket.delete(row.storageKey);
  }
  await db.delete(tusUploads).where(eq(tusUploads.id, row.id)).run();
}

/**
 * Terminates an upload (tus termination): its bytes and reservation go, 423 while a PATCH
 * writes it. An upload already injected into a gallery only loses its row (the asset stays).
 */
export async function terminateUpload(db: Db, bucket: R2Bucket, u: Uploader, id: string, now: number): Promise<void> {
  const row = await getUpload(db, scopeOf(u), id, now);
  if (row.leaseId && row.leaseUntil > now) throw new ApiError("upload_locked", "A PATCH is writing this upload; retry shortly", { headers: { "Retry-After": "1" } });
  await discardUpload(db, bucket, row);
}

/**
 * Cron: uploads whose expiry passed (24 h after their last PATCH) are aborted, their tails and
 * objects deleted and their reservations released; injected ones only lose their row.
 */
export async function sweepExpiredTusUploads(db: Db, bucket: R2Bucket, now: number, max = 200): Promise<number> {
  const expired = await db.select().from(tusUploads).where(lte(tusUploads.expiresAt, now)).limit(max).all();
  for (const row of expired) await discardUpload(db, bucket, row);
  return expired.length;
}

/** The creator's uploads among `ids` (others' and unknown ones are simply absent). */
export async function findUploads(db: Db, u: Omit<Scope, "creator"> & { creator: string }, ids: string[]): Promise<TusUpload[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(tusUploads)
    .where(and(eq(tusUploads.ownerKind, u.ownerKind), eq(tusUploads.ownerId, u.ownerId), eq(tusUploads.creator, u.creator), inArray(tusUploads.id, ids)))
    .all();
}

/** Records where an upload was injected; false when it already was (by a concurrent call). */
export async function markInjected(db: Db, id: string, collectionId: string, fileId: string): Promise<boolean> {
  const res = await db
    .update(tusUploads)
    .set({ injectedInto: collectionId, injectedFileId: fileId })
    .where(and(eq(tusUploads.id, id), isNull(tusUploads.injectedFileId)))
    .run();
  return res.meta.changes === 1;
}
