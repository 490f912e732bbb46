import type { Db } from "../db";
import type { UploadPartRef } from "../db/schema";
import { ApiError } from "../platform/errors";
import { CHECKSUM_ALGORITHMS, type ChecksumAlgorithm } from "./protocol";
import { LEASE_MS, renewLease, reservePart, saveProgress, type Progress, type TusUpload } from "./state";

/** What one PATCH brings: its body, how many bytes it may carry, an optional checksum. */
export interface ChunkInput {
  body: ReadableStream<Uint8Array> | null;
  /** The body's Content-Length when the client sent one: parts it completes stream straight to R2. */
  contentLength?: number;
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

/** A part being streamed straight from the request body into R2 (FixedLengthStream of one part). */
interface PartSink {
  writer: WritableStreamDefaultWriter<Uint8Array>;
  done: Promise<R2UploadedPart>;
  written: number;
}

/**
 * Writes one PATCH body into the upload's R2 multipart upload, the caller holding the lease.
 *
 * Bytes are cut into parts of the upload's one part size, whatever the client's chunk size.
 * When the body's length is known, every part the body completes streams straight from the
 * request into `uploadPart` (the previous remainder, read back from its tail object, first);
 * only a remainder below one part is held in memory and then stored as the new tail object.
 * Without a length, bytes gather in a one-part buffer. Every part goes up under a fresh part
 * number. Without a checksum the state is saved after every part, so a client that drops
 * mid-request loses at most the part in flight (a buffered remainder is saved too when the
 * body stream fails). With a checksum nothing is saved until the digest matches: on a
 * mismatch (460) or any failure the chunk is discarded whole, the parts it uploaded stay
 * unreferenced and R2 drops them with the multipart upload. When the offset reaches the
 * length, the last part goes up and the multipart upload completes. Returns the new offset.
 */
export async function writeChunk(db: Db, bucket: R2Bucket, row: TusUpload, leaseId: string, input: ChunkInput): Promise<number> {
  const { clock } = input;
  const partSize = row.partSize;
  const multipart = bucket.resumeMultipartUpload(row.storageKey, row.multipartId!);
  // Only a remainder below one part ever waits in memory; allocated when the first one does.
  let buffer: Uint8Array | null = null;
  const buf = () => (buffer ??= new Uint8Array(partSize));
  let fill = 0;
  if (row.tailKey && row.tailSize > 0) {
    const tail = await bucket.get(row.tailKey);
    if (!tail || tail.size !== row.tailSize) throw new Error(`tus tail ${row.tailKey} missing or wrong size`);
    buf().set(new Uint8Array(await tail.arrayBuffer()), 0);
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
  const partDone = async (part: R2UploadedPart) => {
    parts.push({ partNumber: part.partNumber, etag: part.etag });
    if (!hasher) await save({ offset, parts: [...parts], tailKey: null, tailSize: 0 });
  };
  const uploadPart = async (bytes: Uint8Array) => {
    const partNumber = await reservePart(db, row.id, leaseId, clock());
    const part = await multipart.uploadPart(partNumber, bytes);
    parts.push({ partNumber: part.partNumber, etag: part.etag });
  };
  const openSink = async (): Promise<PartSink> => {
    const partNumber = await reservePart(db, row.id, leaseId, clock());
    const stream = new FixedLengthStream(partSize);
    const done = multipart.uploadPart(partNumber, stream.readable);
    done.catch(() => undefined);
    return { writer: stream.writable.getWriter(), done, written: 0 };
  };

  // A tail of one full part (an earlier part upload failed after the bytes were taken) goes up first.
  if (fill === partSize) {
    await uploadPart(buf());
    fill = 0;
  }

  let failure: unknown;
  let received = 0;
  let renewedAt = clock();
  let sink: PartSink | null = null;
  const reader = input.body?.getReader();
  try {
    while (reader) {
      const { done, value } = await reader.read();
      if (done) break;
      if (received + value.byteLength > input.maxBytes) throw new ApiError("payload_too_large", "The body goes past Upload-Length");
      const before = received;
      received += value.byteLength;
      await hashWriter?.write(value);
      for (let pos = 0; pos < value.byteLength; ) {
        const bodyLeft = input.contentLength === undefined ? 0 : input.contentLength - before - pos;
        // A new part streams when this body is known to complete it; otherwise the bytes wait in the buffer.
        if (!sink && fill + bodyLeft >= partSize) {
          sink = await openSink();
          if (fill > 0) await sink.writer.write(buf().slice(0, fill));
          sink.written = fill;
          fill = 0;
        }
        if (sink) {
          const n = Math.min(value.byteLength - pos, partSize - sink.written);
          await sink.writer.write(value.subarray(pos, pos + n));
          sink.written += n;
          pos += n;
          offset += n;
          if (sink.written === partSize) {
            await sink.writer.close();
            const part = await sink.done;
            sink = null;
            await partDone(part);
            renewedAt = clock();
          }
          continue;
        }
        const n = Math.min(value.byteLength - pos, partSize - fill);
        buf().set(value.subarray(pos, pos + n), fill);
        fill += n;
        pos += n;
        offset += n;
        if (fill < partSize) continue;
        const partNumber = await reservePart(db, row.id, leaseId, clock());
        const part = await multipart.uploadPart(partNumber, buf());
        fill = 0;
        await partDone(part);
        renewedAt = clock();
      }
      if (clock() - renewedAt > LEASE_MS / 3) {
        await renewLease(db, row.id, leaseId, clock());
        renewedAt = clock();
      }
    }
  } catch (err) {
    failure = err;
  }
  if (sink) {
    // The body ended inside a streamed part: R2 keeps whole parts only, so the state stays at the
    // last saved one (whose tail object, if the part began with it, is still there).
    offset = saved.offset;
    fill = 0;
    await sink.writer.abort(failure ?? new Error("body ended early")).catch(() => undefined);
    await sink.done.catch(() => undefined);
    failure ??= new ApiError("invalid_request", "The body was shorter than its Content-Length");
    sink = null;
  }
  // A lost lease means another writer owns the state now: touch nothing.
  if (failure instanceof ApiError && failure.code === "upload_locked") throw failure;

  if (hasher && hashWriter) {
    await hashWriter.close();
    const digest = new Uint8Array(await hasher.digest);
    if (failure) throw failure;
    if (!sameBytes(digest, input.checksum!.digest)) throw new ApiError("checksum_mismatch", "Upload-Checksum does not match the body; the chunk was discarded");
  }

  const finished = input.length !== null && offset === input.length && !failure;
  if (finished) {
    if (fill > 0 || parts.length === 0) await uploadPart(buf().subarray(0, fill));
    await multipart.complete(parts);
    await save({ offset, parts: [...parts], tailKey: null, tailSize: 0, completedAt: clock() });
  } else if (offset !== saved.offset) {
    const tailKey = fill > 0 ? tailKeyAt(row.storageKey, offset) : null;
    if (tailKey) await bucket.put(tailKey, buf().subarray(0, fill));
    await save({ offset, parts: [...parts], tailKey, tailSize: fill });
  }
  if (row.tailKey && row.tailKey !== saved.tailKey) await bucket.delete(row.tailKey);
  if (failure) throw failure;
  return offset;
}
