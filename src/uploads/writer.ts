import type { Db } from "../db";
import type { UploadPartRef } from "../db/schema";
import { ApiError } from "../platform/errors";
import { CHECKSUM_ALGORITHMS, type ChecksumAlgorithm } from "./protocol";
import { LEASE_MS, renewLease, reservePart, saveProgress, type Progress, type TusUpload } from "./state";

/** What one PATCH brings: its body, how many bytes it may carry, an optional checksum. */
export interface ChunkInput {
  body: ReadableStream<Uint8Array> | null;
  /** Bytes this request may add: Upload-Length (or the upload's max length) minus the offset. */
  maxBytes: number;
  /** The upload's length once known (it may be declared by this very PATCH). */
  length: number | null;
  checksum?: { algorithm: ChecksumAlgorithm; digest: Uint8Array };
  clock: () => number;
}

/** Where an upload's R2 objects live: the final object and the tails, all under one folder. */
export const uploadFolder = (storageKey: string) => storageKey.slice(0, storageKey.lastIndexOf("/") + 1);
const tailKeyAt = (storageKey: string, offset: number) => `${uploadFolder(storageKey)}.tail/${offset}`;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  let diff = 0;
  for (let i = 0; i < a.byteLength; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/**
 * Writes one PATCH body into the upload's R2 multipart upload, the caller holding the lease.
 *
 * Bytes are cut into parts of the upload's one part size, whatever the client's chunk size:
 * the previous remainder (the tail object) is read back first, every full part is uploaded
 * under a fresh part number, and what is left below one part is stored as a new tail object.
 * Memory holds at most one part. Without a checksum the state is saved after every part, so a
 * client that drops mid-request loses at most the bytes since the last part (the remainder is
 * saved too when the failure is the body stream). With a checksum nothing is saved until the
 * digest matches: on a mismatch (460) or any failure the chunk is discarded whole, the parts
 * it uploaded stay unreferenced and R2 drops them with the multipart upload.
 * When the offset reaches the length, the last part goes up and the multipart upload completes.
 * Returns the new offset.
 */
export async function writeChunk(db: Db, bucket: R2Bucket, row: TusUpload, leaseId: string, input: ChunkInput): Promise<number> {
  const { clock } = input;
  const multipart = bucket.resumeMultipartUpload(row.storageKey, row.multipartId!);
  const buffer = new Uint8Array(row.partSize);
  let fill = 0;
  if (row.tailKey && row.tailSize > 0) {
    const tail = await bucket.get(row.tailKey);
    if (!tail || tail.size !== row.tailSize) throw new Error(`tus tail ${row.tailKey} missing or wrong size`);
    buffer.set(new Uint8Array(await tail.arrayBuffer()), 0);
    fill = row.tailSize;
  }
  const parts: UploadPartRef[] = [...row.parts];
  let offset = row.offset;
  let saved: Progress = { offset: row.offset, parts: row.parts, tailKey: row.tailKey, tailSize: row.tailSize };
  const hasher = input.checksum ? new crypto.DigestStream(CHECKSUM_ALGORITHMS[input.checksum.algorithm]) : null;
  const hashWriter = hasher?.getWriter();

  const save = async (p: Progress) => {
    if (!(await saveProgress(db, row.id, leaseId, p, clock()))) {
      throw new ApiError("upload_locked", "This request lost its hold on the upload; check Upload-Offset with HEAD and resume");
    }
    saved = p;
  };
  const uploadPart = async (bytes: Uint8Array) => {
    const partNumber = await reservePart(db, row.id, leaseId, clock());
    const part = await multipart.uploadPart(partNumber, bytes);
    parts.push({ partNumber: part.partNumber, etag: part.etag });
  };

  // A tail of one full part (an earlier part upload failed after the bytes were taken) goes up first.
  if (fill === buffer.byteLength) {
    await uploadPart(buffer);
    fill = 0;
  }

  let failure: unknown;
  let received = 0;
  let renewedAt = clock();
  const reader = input.body?.getReader();
  try {
    while (reader) {
      const { done, value } = await reader.read();
      if (done) break;
      if (received + value.byteLength > input.maxBytes) throw new ApiError("payload_too_large", "The body goes past Upload-Length");
      received += value.byteLength;
      await hashWriter?.write(value);
      for (let pos = 0; pos < value.byteLength; ) {
        const n = Math.min(value.byteLength - pos, buffer.byteLength - fill);
        buffer.set(value.subarray(pos, pos + n), fill);
        fill += n;
        pos += n;
        offset += n;
        if (fill < buffer.byteLength) continue;
        await uploadPart(buffer);
        fill = 0;
        renewedAt = clock();
        if (!hasher) await save({ offset, parts: [...parts], tailKey: null, tailSize: 0 });
      }
      if (clock() - renewedAt > LEASE_MS / 3) {
        await renewLease(db, row.id, leaseId, clock());
        renewedAt = clock();
      }
    }
  } catch (err) {
    failure = err;
    // A lost lease means another writer owns the state now: touch nothing.
    if (err instanceof ApiError && err.code === "upload_locked") throw err;
  }

  if (hasher && hashWriter) {
    await hashWriter.close();
    const digest = new Uint8Array(await hasher.digest);
    if (failure) throw failure;
    if (!sameBytes(digest, input.checksum!.digest)) throw new ApiError("checksum_mismatch", "Upload-Checksum does not match the body; the chunk was discarded");
  }

  const finished = input.length !== null && offset === input.length && !failure;
  if (finished) {
    if (fill > 0 || parts.length === 0) await uploadPart(buffer.subarray(0, fill));
    await multipart.complete(parts);
    await save({ offset, parts: [...parts], tailKey: null, tailSize: 0, completedAt: clock() });
  } else if (offset !== saved.offset) {
    const tailKey = fill > 0 ? tailKeyAt(row.storageKey, offset) : null;
    if (tailKey) await bucket.put(tailKey, buffer.subarray(0, fill));
    await save({ offset, parts: [...parts], tailKey, tailSize: fill });
  }
  if (row.tailKey && row.tailKey !== saved.tailKey) await bucket.delete(row.tailKey);
  if (failure) throw failure;
  return offset;
}
