import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../db";
import { driveFiles } from "../db/schema";
import type { Env } from "../env";
import { ApiError } from "../platform/errors";
import { newId } from "../platform/ids";
import { getStorageSummary, safeKeySegment, uploadRecipe, type NewUpload } from "../platform/storage";
import { driveSpace, type DriveCtx } from "./access";
import { toPublicFile } from "./listing";
import { freeName, nameKeyOf, resolveTarget } from "./tree";

export interface UploadTarget {
  fileName: string;
  contentType?: string;
  sizeBytes: number;
  folderId?: string | null;
}

/** An uploaded file's display name: its last path segment, without control characters. */
export function cleanFileName(name: string): string {
  const base = name.normalize("NFC").split(/[/\\]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, "").trim().slice(0, 255);
  return base === "" || base === "." || base === ".." ? "file" : base;
}

/** Drive's part of a new upload: the destination check, then a key under the drive's prefix. */
async function prepareUpload(db: Db, ctx: DriveCtx, target: UploadTarget, now: number): Promise<NewUpload> {
  const folderId = await resolveTarget(db, ctx, target.folderId, now);
  const fileId = newId("df");
  return {
    storageKey: `${driveSpace(db, ctx).keyPrefix}${fileId}/${safeKeySegment(target.fileName)}`,
    sizeBytes: target.sizeBytes,
    contentType: target.contentType,
    meta: { fileId, folderId, fileName: cleanFileName(target.fileName), appId: ctx.app?.id ?? null },
  };
}

/**
 * Step 1 of a direct upload: checks the destination, reserves `sizeBytes` against the plan's
 * limit (413 `storage_limit_exceeded`) and returns a presigned PUT URL for a server-picked key.
 */
export async function presignDriveUpload(db: Db, env: Env, ctx: DriveCtx, target: UploadTarget, requestUrl: string, now: number) {
  return uploadRecipe.presign(db, env, driveSpace(db, ctx), requestUrl, now, () => prepareUpload(db, ctx, target, now));
}

async function findFileByKey(db: Db, driveId: string, storageKey: string) {
  return (await db.select().from(driveFiles).where(and(eq(driveFiles.storageKey, storageKey), eq(driveFiles.driveId, driveId))).get()) ?? null;
}

/** A live file of the drive by storage key (media tokens re-check it still exists). */
export async function findLiveFileByKey(db: Db, driveId: string, storageKey: string) {
  return (
    (await db
      .select()
      .from(driveFiles)
      .where(and(eq(driveFiles.storageKey, storageKey), eq(driveFiles.driveId, driveId), isNull(driveFiles.deletedAt)))
      .get()) ?? null
  );
}

export interface CompleteBody {
  storageKey: string;
  folderId?: string | null;
  sizeBytes?: number;
}

/**
 * Step 3 of a direct upload (the checks are uploadRecipe.complete's). The file lands in the
 * folder chosen at presign; a name taken there gets " (n)". Idempotent: a repeat returns the file.
 */
export async function completeDriveUpload(db: Db, bucket: R2Bucket, ctx: DriveCtx, body: CompleteBody, now: number) {
  const { row, created } = await uploadRecipe.complete(db, bucket, driveSpace(db, ctx), {
    storageKey: body.storageKey,
    sizeBytes: body.sizeBytes,
    now,
    checkIntent: (intent) => {
      if (body.folderId && intent.meta.folderId !== body.folderId) {
        throw new ApiError("upload_incomplete_or_mismatch", "folder_differs_from_presign");
      }
      if (ctx.app && intent.meta.appId !== ctx.app.id) {
        throw new ApiError("upload_incomplete_or_mismatch", "integration_client_id_differs_from_presign");
      }
      return freeName(db, "file", ctx.driveId, intent.meta.folderId ?? null, intent.meta.fileName ?? "file");
    },
    insertRow: (i, object, guard, freeFileName) => {
      const name = freeFileName ?? "";
      // Columns in table order: id, drive_id, folder_id, name, name_key, content_type, size_bytes, storage_key, deleted_at, trashed_with, created_at, updated_at.
      return db
        .insert(driveFiles)
        .select(
          sql`SELECT ${i.meta.fileId}, ${ctx.driveId}, ${i.meta.folderId ?? null}, ${name}, ${nameKeyOf(name)}, ${i.contentType}, ${object.size},
            ${i.storageKey}, NULL, NULL, ${now}, ${now} WHERE ${guard}`,
        );
    },
    findRow: () => findFileByKey(db, ctx.driveId, body.storageKey),
    claimCondition: (i) =>
      i.meta.folderId ? sql`EXISTS (SELECT 1 FROM drive_folders WHERE id = ${i.meta.folderId} AND drive_id = ${ctx.driveId} AND deleted_at IS NULL)` : sql`1 = 1`,
  });
  return { file: toPublicFile(row), created };
}

/** The proxy route: uploadRecipe.proxy with Drive's destination check and completion. */
export async function proxyDriveUpload(db: Db, bucket: R2Bucket, ctx: DriveCtx, target: UploadTarget & { file: Blob }, now: number) {
  const prepare = () => prepareUpload(db, ctx, target, now);
  return uploadRecipe.proxy(db, bucket, driveSpace(db, ctx), prepare, target.file, now, (storageKey) => completeDriveUpload(db, bucket, ctx, { storageKey }, now));
}

/** `{ usedBytes, limitBytes }`: completed files (Recycle Bin included) and uploads in progress. */
export async function driveStorage(db: Db, ctx: { driveId: string; profileId: string }) {
  return getStorageSummary(db, driveSpace(db, ctx));
}
