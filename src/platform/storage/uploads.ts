import { and, eq, gt, isNull, lte, sql, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../../db";
import { uploadIntents } from "../../db/schema";
import { ApiError, notFound } from "../errors";
import { newId } from "../ids";
import { fitsQuota, OWNER_TABLE, storageLimitExceeded, type OwnerRef } from "./quota";

type Stmt = BatchItem<"sqlite">;
export type UploadIntent = typeof uploadIntents.$inferSelect;

/** Intents outlive their presigned URL by this much so a slow client can still call /complete. */
export const INTENT_GRACE_MS = 60 * 60_000;

/** Proxy uploads pass through Worker memory: keep them small, presign anything bigger. */
export const PROXY_UPLOAD_MAX_BYTES = 50 * 1024 * 1024;
/** A proxy upload's intent only has to outlive the Worker's own PUT. */
export const PROXY_INTENT_TTL_MS = 10 * 60_000;

/** Retryable: the docs' upload loop retries /complete on exactly this code and detail. */
export const NOT_VISIBLE_DETAIL = "object_not_visible_yet_retry_complete";

function uploadError(detail: string, status: 400 | 409): ApiError {
  return new ApiError("upload_incomplete_or_mismatch", detail, status === 409 ? { status } : {});
}

/** Lower-cased `type/subtype`; parameters are dropped so the signed header stays predictable. */
export function normalizeContentType(value: string | null | undefined): string {
  const base = (value ?? "").split(";")[0]!.trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$/.test(base) ? base : "application/octet-stream";
}

/** A file name reduced to a safe key segment (the server picks every key; user text never adds a slash). */
export function safeKeySegment(name: string): string {
  const cleaned = name.normalize("NFKC").replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^[._]+/, "").slice(-100);
  return cleaned || "file";
}

export interface CreateIntentInput {
  owner: OwnerRef;
  storageKey: string;
  sizeBytes: number;
  contentType: string;
  limitBytes: number;
  meta: Record<string, string | null>;
  now: number;
  /** When the presigned URL stops working; the intent itself lasts INTENT_GRACE_MS longer. */
  urlExpiresAt: number;
}

/**
 * Records an upload intent and reserves its declared size in one transaction. The insert only
 * happens when used + reserved + size fits the limit, and the reservation only when the insert
 * happened, so concurrent presigns past the limit fail while the ones that fit succeed.
 * Throws 413 `storage_limit_exceeded` otherwise.
 */
export async function createUploadIntent(db: Db, input: CreateIntentInput): Promise<void> {
  const { owner, storageKey, sizeBytes, contentType, limitBytes, meta, now } = input;
  const t = OWNER_TABLE[owner.kind];
  const [inserted] = await db.batch([
    // Columns in table order: storage_key, owner_kind, owner_id, declared_size, content_type, meta, claim_id, created_at, expires_at.
    db
      .insert(uploadIntents)
      .select(
        sql`SELECT ${storageKey}, ${owner.kind}, ${owner.id}, ${sizeBytes}, ${contentType}, ${JSON.stringify(meta)}, NULL, ${now}, ${input.urlExpiresAt + INTENT_GRACE_MS}
          WHERE ${fitsQuota(owner, sizeBytes, limitBytes)}`,
      ),
    db
      .update(t)
      .set({ reservedBytes: sql`${t.reservedBytes} + ${sizeBytes}` })
      .where(and(eq(t.id, owner.id), sql`EXISTS (SELECT 1 FROM upload_intents WHERE storage_key = ${storageKey} AND created_at = ${now})`)),
  ]);
  if (inserted.meta.changes !== 1) throw storageLimitExceeded(limitBytes);
}

/** The owner's open intent for a key, or null (another owner's key is null too). */
export async function getUploadIntent(db: Db, owner: OwnerRef, storageKey: string): Promise<UploadIntent | null> {
  return (
    (await db
      .select()
      .from(uploadIntents)
      .where(and(eq(uploadIntents.storageKey, storageKey), eq(uploadIntents.ownerKind, owner.kind), eq(uploadIntents.ownerId, owner.id)))
      .get()) ?? null
  );
}

/** Moves an open intent's expiry: a resumable upload pushes it on while it keeps receiving bytes. */
export async function extendUploadIntent(db: Db, owner: OwnerRef, storageKey: string, expiresAt: number): Promise<void> {
  await db
    .update(uploadIntents)
    .set({ expiresAt })
    .where(and(eq(uploadIntents.storageKey, storageKey), eq(uploadIntents.ownerId, owner.id), isNull(uploadIntents.claimId)))
    .run();
}

/** Statements that drop an intent and release its reservation, only if the intent still exists unclaimed. */
function releaseStatements(db: Db, owner: OwnerRef, intent: UploadIntent): [Stmt, Stmt] {
  const t = OWNER_TABLE[owner.kind];
  const open = and(eq(uploadIntents.storageKey, intent.storageKey), eq(uploadIntents.ownerId, owner.id), isNull(uploadIntents.claimId));
  return [
    db
      .update(t)
      .set({ reservedBytes: sql`max(0, ${t.reservedBytes} - ${intent.declaredSize})` })
      .where(and(eq(t.id, owner.id), sql`EXISTS (SELECT 1 FROM upload_intents WHERE ${open})`)),
    db.delete(uploadIntents).where(open),
  ];
}

/** Deletes the object and the intent and releases the reservation (a failed or refused upload). */
export async function abandonUpload(db: Db, bucket: R2Bucket, owner: OwnerRef, intent: UploadIntent): Promise<void> {
  await bucket.delete(intent.storageKey);
  await db.batch(releaseStatements(db, owner, intent));
}

export interface CompleteInput<Row> {
  owner: OwnerRef;
  storageKey: string;
  limitBytes: number;
  now: number;
  /**
   * The feature's row insert, as a statement that must only write `WHERE guard`: guard is true
   * exactly when this call claimed the intent, so the row, the usage and the intent change together.
   */
  insertRow: (intent: UploadIntent, object: R2Object, guard: SQL) => Stmt;
  /** The feature's row for this key and owner, for idempotent repeats. */
  findRow: () => Promise<Row | null>;
  /** Extra condition for the claim (e.g. the target collection still exists). */
  claimCondition?: (intent: UploadIntent) => SQL;
}

/**
 * Completes an upload: heads the object and checks it against the intent (owner, size,
 * Content-Type), then in one batch claims the intent (re-checking used + size <= limit with the
 * real size), moves its bytes from reserved to used, writes the feature's row and deletes the
 * intent. Idempotent: a repeat after success returns the existing row.
 *
 * - object not there yet -> 409 `upload_incomplete_or_mismatch` / `object_not_visible_yet_retry_complete`
 * - size or type differs -> 400 same code, another detail; object deleted, reservation released
 * - over the limit now -> 413 `storage_limit_exceeded`; object deleted, reservation released
 * - unknown, expired or another owner's key -> 404
 */
export async function completeUpload<Row>(db: Db, bucket: R2Bucket, input: CompleteInput<Row>): Promise<{ row: Row; created: boolean }> {
  const { owner, storageKey, limitBytes, now } = input;
  const intent = await getUploadIntent(db, owner, storageKey);
  if (!intent || intent.expiresAt <= now) {
    const existing = await input.findRow();
    if (existing) return { row: existing, created: false };
    throw notFound("upload");
  }
  const object = await bucket.head(storageKey);
  if (!object) throw uploadError(NOT_VISIBLE_DETAIL, 409);
  if (object.size !== intent.declaredSize || normalizeContentType(object.httpMetadata?.contentType) !== intent.contentType) {
    await abandonUpload(db, bucket, owner, intent);
    throw uploadError(object.size !== intent.declaredSize ? "size_mismatch_object_deleted" : "content_type_mismatch_object_deleted", 400);
  }

  const t = OWNER_TABLE[owner.kind];
  const claimId = newId("clm");
  const claimed = sql`EXISTS (SELECT 1 FROM upload_intents WHERE storage_key = ${storageKey} AND claim_id = ${claimId})`;
  const extra = input.claimCondition?.(intent);
  const [claim] = await db.batch([
    db
      .update(uploadIntents)
      .set({ claimId })
      .where(
        and(
          eq(uploadIntents.storageKey, storageKey),
          eq(uploadIntents.ownerId, owner.id),
          isNull(uploadIntents.claimId),
          gt(uploadIntents.expiresAt, now),
          // Reserved bytes already include this intent, so the re-check is on used bytes alone.
          sql`(SELECT ${t.usedBytes} FROM ${t} WHERE ${t.id} = ${owner.id}) + ${object.size} <= ${limitBytes}`,
          extra,
        ),
      ),
    db
      .update(t)
      .set({ usedBytes: sql`${t.usedBytes} + ${object.size}`, reservedBytes: sql`max(0, ${t.reservedBytes} - ${intent.declaredSize})` })
      .where(and(eq(t.id, owner.id), claimed)),
    input.insertRow(intent, object, claimed),
    db.delete(uploadIntents).where(and(eq(uploadIntents.storageKey, storageKey), eq(uploadIntents.claimId, claimId))),
  ]);
  if (claim.meta.changes === 1) {
    const row = await input.findRow();
    if (!row) throw new Error("completed upload row missing");
    return { row, created: true };
  }
  const still = await getUploadIntent(db, owner, storageKey);
  if (!still) {
    const existing = await input.findRow();
    if (existing) return { row: existing, created: false };
    throw notFound("upload");
  }
  const targetGone = extra
    ? !(await db.select({ ok: sql<number>`1` }).from(uploadIntents).where(and(eq(uploadIntents.storageKey, storageKey), extra)).get())
    : false;
  await abandonUpload(db, bucket, owner, still);
  if (targetGone) throw notFound("upload target");
  throw storageLimitExceeded(limitBytes);
}

/**
 * Cron sweep: deletes intents whose time ran out, their (orphaned) objects, and releases
 * their reservations. Returns how many intents were removed. Safe to run concurrently with
 * /complete: a claimed or already-completed intent is never touched.
 */
export async function sweepExpiredUploads(db: Db, bucket: R2Bucket, now: number, max = 500): Promise<number> {
  const expired = await db
    .select()
    .from(uploadIntents)
    .where(and(lte(uploadIntents.expiresAt, now), isNull(uploadIntents.claimId)))
    .limit(max)
    .all();
  if (expired.length === 0) return 0;
  // R2 deletes up to 1000 keys per call.
  await bucket.delete(expired.map((i) => i.storageKey));
  const statements = expired.flatMap((i) => releaseStatements(db, { kind: i.ownerKind, id: i.ownerId }, i));
  for (let i = 0; i < statements.length; i += 50) {
    await db.batch(statements.slice(i, i + 50) as [Stmt, ...Stmt[]]);
  }
  return expired.length;
}
