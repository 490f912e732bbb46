import type { SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../../db";
import type { Env } from "../../env";
import { ApiError, notFound } from "../errors";
import { s3Config } from "./config";
import { presignPut, PRESIGN_TTL_SECONDS } from "./presign";
import type { StorageSpace } from "./quota";
import {
  abandonUpload,
  completeUpload,
  createUploadIntent,
  getUploadIntent,
  normalizeContentType,
  PROXY_INTENT_TTL_MS,
  type CompleteInput,
  type UploadIntent,
} from "./uploads";

type Stmt = BatchItem<"sqlite">;

/** What a feature decides for one new upload, once its own checks (destination, rights) passed. */
export interface NewUpload {
  /** Server-picked and under the space's keyPrefix; user text only ever adds a safeKeySegment. */
  storageKey: string;
  /** The declared size: reserved against the limit now, and the object must have exactly this size. */
  sizeBytes: number;
  /** As the client declared it; the recipe normalises it and the PUT must send the normalised type. */
  contentType: string | null | undefined;
  /** The feature's data for its row at completion (ids, names), kept on the intent. */
  meta: Record<string, string | null>;
}

/** A reserved upload: the key and the normalised Content-Type the PUT must send. */
export interface ReservedUpload {
  storageKey: string;
  contentType: string;
}

/**
 * The feature's side of a completion: its checks of the open intent and its row (see
 * completeUpload). `checkIntent` may also return what `insertRow` needs but cannot read inside
 * the claim batch (e.g. a free name); insertRow gets it, or undefined when no intent was open.
 */
export interface UploadCompletion<Row, Checked = void> extends Pick<CompleteInput<Row>, "findRow" | "claimCondition"> {
  storageKey: string;
  /** The size the client may declare again at /complete; when given it must equal the presign's. */
  sizeBytes?: number;
  now: number;
  /** The feature's own checks of the open intent against the request; they run before the size check. */
  checkIntent?: (intent: UploadIntent) => Checked | Promise<Checked>;
  /** CompleteInput's row insert (writes only `WHERE guard`); return the statement unawaited: a drizzle builder runs when awaited. */
  insertRow: (intent: UploadIntent, object: R2Object, guard: SQL, checked: Checked | undefined) => Stmt;
}

/**
 * The one upload sequence every product line uses: reserve quota, then either presign a PUT
 * (direct upload) or PUT through the Worker (proxy upload), then complete. A feature supplies
 * only its parts: its StorageSpace (owner, key prefix, limit), a `prepare` that runs its checks
 * and picks key and metadata, and at completion its checks of the intent and its row
 * insert / lookup / claim condition. Error codes are the published ones:
 * 413 `storage_limit_exceeded`, 400/409 `upload_incomplete_or_mismatch`, 404 for unknown keys.
 */
export const uploadRecipe = {
  /**
   * Records the intent for `upload` and reserves its size against the space's limit, in one
   * batch (413 `storage_limit_exceeded` when it does not fit). The intent outlives `urlExpiresAt`
   * by INTENT_GRACE_MS. For uploads that carry their bytes some other way (e.g. resumable ones).
   */
  async reserve(db: Db, space: StorageSpace, upload: NewUpload, now: number, urlExpiresAt: number): Promise<ReservedUpload> {
    const contentType = normalizeContentType(upload.contentType);
    await createUploadIntent(db, {
      owner: space.owner,
      storageKey: upload.storageKey,
      sizeBytes: upload.sizeBytes,
      contentType,
      limitBytes: await space.limitBytes(),
      meta: upload.meta,
      now,
      urlExpiresAt,
    });
    return { storageKey: upload.storageKey, contentType };
  },

  /**
   * Step 1 of a direct upload. Resolves the storage config first (nothing is reserved when
   * storage is not configured), then runs the feature's `prepare`, reserves for a URL expiring
   * with the presign, and returns the published presign response (PresignResponse).
   */
  async presign(db: Db, env: Env, space: StorageSpace, requestUrl: string, now: number, prepare: () => Promise<NewUpload>) {
    const config = s3Config(env, requestUrl);
    const { storageKey, contentType } = await uploadRecipe.reserve(db, space, await prepare(), now, now + PRESIGN_TTL_SECONDS * 1000);
    const signed = await presignPut(config, storageKey, contentType, now);
    return { uploadUrl: signed.uploadUrl, storageKey, headers: signed.headers, expiresAt: new Date(signed.expiresAt).toISOString() };
  },

  /**
   * A proxy upload: `prepare` and reserve (an intent only outliving the Worker's own PUT), the
   * Worker PUTs `file`, then the feature's `complete` runs on the key. A failed PUT drops the
   * intent and releases its reservation before the error propagates.
   */
  async proxy<R>(
    db: Db,
    bucket: R2Bucket,
    space: StorageSpace,
    prepare: () => Promise<NewUpload>,
    file: Blob,
    now: number,
    complete: (storageKey: string) => Promise<R>,
  ): Promise<R> {
    const reserved = await uploadRecipe.reserve(db, space, await prepare(), now, now + PROXY_INTENT_TTL_MS);
    try {
      await bucket.put(reserved.storageKey, file, { httpMetadata: { contentType: reserved.contentType } });
    } catch (err) {
      const intent = await getUploadIntent(db, space.owner, reserved.storageKey);
      if (intent) await abandonUpload(db, bucket, space.owner, intent);
      throw err;
    }
    return complete(reserved.storageKey);
  },

  /**
   * Step 3 of an upload. A key outside the space's prefix is 404 before any lookup; with an open
   * intent, the feature's `checkIntent` runs, then a `sizeBytes` other than the presign's is
   * 400 `upload_incomplete_or_mismatch` / `size_bytes_differs_from_presign`. Then completeUpload
   * checks the object and claims the intent, writing the feature's row in the same batch.
   * Idempotent: a repeat after success returns the existing row with `created: false`.
   */
  async complete<Row, Checked = void>(
    db: Db,
    bucket: R2Bucket,
    space: StorageSpace,
    input: UploadCompletion<Row, Checked>,
  ): Promise<{ row: Row; created: boolean }> {
    // Keys of other owners never reach a lookup that could tell them apart from unknown ones.
    if (!input.storageKey.startsWith(space.keyPrefix)) throw notFound("upload");
    const intent = await getUploadIntent(db, space.owner, input.storageKey);
    let checked: Checked | undefined;
    if (intent) {
      checked = await input.checkIntent?.(intent);
      if (input.sizeBytes !== undefined && input.sizeBytes !== intent.declaredSize) {
        throw new ApiError("upload_incomplete_or_mismatch", "size_bytes_differs_from_presign");
      }
    }
    return completeUpload(db, bucket, {
      owner: space.owner,
      storageKey: input.storageKey,
      limitBytes: await space.limitBytes(),
      now: input.now,
      insertRow: (i, object, guard) => input.insertRow(i, object, guard, checked),
      findRow: input.findRow,
      claimCondition: input.claimCondition,
    });
  },
};
