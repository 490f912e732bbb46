import { and, eq, isNull, lte, or, sql } from "drizzle-orm";
import type { Db } from "../db";
import { tusUploads, type UploadPartRef } from "../db/schema";
import { ApiError, notFound } from "../platform/errors";
import { newId } from "../platform/ids";

/**
 * The D1 side of a tus upload: reads scoped to owner and creator, and the lease. A writer takes
 * the lease with one conditional UPDATE (offset as the client sent it, no live lease), renews it
 * while bytes flow, and every state change is written `WHERE lease_id = <its lease>`: a writer
 * whose lease lapsed changes nothing. Part numbers come from the same guarded UPDATE and are
 * never handed out twice, so a lapsed writer cannot overwrite a part the state references.
 */
export type TusUpload = typeof tusUploads.$inferSelect;

/** Lease length: renewed at least every LEASE_MS / 3 while a PATCH streams. */
export const LEASE_MS = 30_000;
/** Expiration extension: an upload expires this long after its creation or its last PATCH. */
export const UPLOAD_TTL_MS = 24 * 3600_000;

export interface Scope {
  ownerKind: TusUpload["ownerKind"];
  ownerId: string;
  creator: string;
}

/** The upload `id` of this creator; another creator's or another owner's is 404, an expired one 410. */
export async function getUpload(db: Db, scope: Scope, id: string, now: number): Promise<TusUpload> {
  const row = await db
    .select()
    .from(tusUploads)
    .where(and(eq(tusUploads.id, id), eq(tusUploads.ownerKind, scope.ownerKind), eq(tusUploads.ownerId, scope.ownerId), eq(tusUploads.creator, scope.creator)))
    .get();
  if (!row) throw notFound("upload");
  if (row.expiresAt <= now && !row.injectedFileId) throw new ApiError("upload_expired", "This upload expired; start a new one");
  return row;
}

/**
 * Takes the write lease of an upload at `offset`. 409 `upload_offset_mismatch` when the upload
 * is elsewhere (or finished), 423 `upload_locked` while another PATCH holds it.
 */
export async function acquireLease(db: Db, row: TusUpload, offset: number, now: number): Promise<string> {
  const leaseId = newId("lse");
  const taken = await db
    .update(tusUploads)
    .set({ leaseId, leaseUntil: now + LEASE_MS })
    .where(
      and(
        eq(tusUploads.id, row.id),
        eq(tusUploads.offset, offset),
        isNull(tusUploads.completedAt),
        or(isNull(tusUploads.leaseId), lte(tusUploads.leaseUntil, now)),
      ),
    )
    .run();
  if (taken.meta.changes === 1) return leaseId;
  const now2 = await db.select({ offset: tusUploads.offset, completedAt: tusUploads.completedAt }).from(tusUploads).where(eq(tusUploads.id, row.id)).get();
  if (!now2) throw notFound("upload");
  if (now2.offset !== offset || now2.completedAt !== null) throw offsetMismatch(now2.offset);
  throw new ApiError("upload_locked", "Another request is writing this upload; retry shortly", { headers: { "Retry-After": "1" } });
}

export function offsetMismatch(current: number): ApiError {
  return new ApiError("upload_offset_mismatch", `Upload-Offset must be ${current}`, { headers: { "Upload-Offset": String(current) } });
}

// A new writer always writes a new lease id, so the id alone tells whether the lease is still ours.
const held = (id: string, leaseId: string) => and(eq(tusUploads.id, id), eq(tusUploads.leaseId, leaseId));

function lostLease(): ApiError {
  return new ApiError("upload_locked", "This request lost its hold on the upload; check Upload-Offset with HEAD and resume", { headers: { "Retry-After": "1" } });
}

/** Renews the lease and hands out the next unused part number; 423 when the lease was lost. */
export async function reservePart(db: Db, id: string, leaseId: string, now: number): Promise<number> {
  const row = await db
    .update(tusUploads)
    .set({ nextPart: sql`${tusUploads.nextPart} + 1`, leaseUntil: now + LEASE_MS })
    .where(held(id, leaseId))
    .returning({ next: tusUploads.nextPart })
    .get();
  if (!row) throw lostLease();
  if (row.next - 1 > 10_000) throw new ApiError("payload_too_large", "This upload used up R2's 10,000 parts");
  return row.next - 1;
}

/** Extends the lease while bytes flow between parts; 423 when it was lost. */
export async function renewLease(db: Db, id: string, leaseId: string, now: number): Promise<void> {
  const res = await db.update(tusUploads).set({ leaseUntil: now + LEASE_MS }).where(held(id, leaseId)).run();
  if (res.meta.changes !== 1) throw lostLease();
}

export interface Progress {
  offset: number;
  parts: UploadPartRef[];
  tailKey: string | null;
  tailSize: number;
  completedAt?: number;
  length?: number;
}

/** Records progress under the lease (and pushes the expiry to now + 24 h); false when the lease was lost. */
export async function saveProgress(db: Db, id: string, leaseId: string, p: Progress, now: number): Promise<boolean> {
  const res = await db
    .update(tusUploads)
    .set({
      offset: p.offset,
      parts: p.parts,
      tailKey: p.tailKey,
      tailSize: p.tailSize,
      expiresAt: now + UPLOAD_TTL_MS,
      ...(p.completedAt !== undefined ? { completedAt: p.completedAt } : {}),
      ...(p.length !== undefined ? { length: p.length } : {}),
    })
    .where(held(id, leaseId))
    .run();
  return res.meta.changes === 1;
}

/** Gives the lease back (only if still ours). */
export async function releaseLease(db: Db, id: string, leaseId: string): Promise<void> {
  await db.update(tusUploads).set({ leaseId: null, leaseUntil: 0 }).where(held(id, leaseId)).run();
}

/**
 * Before the first part is written, the part size may follow the client's chunk size, so a
 * client with one steady chunk size sends exactly one streamed part per PATCH and never needs a
 * tail. Only under the lease and only while nothing is stored yet.
 */
export async function adoptPartSize(db: Db, id: string, leaseId: string, partSize: number): Promise<boolean> {
  const res = await db
    .update(tusUploads)
    .set({ partSize })
    .where(and(held(id, leaseId), eq(tusUploads.offset, 0), eq(tusUploads.nextPart, 1), eq(tusUploads.tailSize, 0)))
    .run();
  return res.meta.changes === 1;
}
