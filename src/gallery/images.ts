import { and, eq } from "drizzle-orm";
import type { Db } from "../db";
import { files } from "../db/schema";
import { VARIANT_CONTENT_TYPE, VARIANT_LONG_EDGE, variantKey } from "../platform/images/keys";
import { BINDING_MAX_BYTES, RESIZABLE_TYPES, resizeWithBinding, resizeWithWasm, WASM_MAX_BYTES, type ResizedImage, type ResizeSpec } from "../platform/images/resize";

/** What making variants needs of the Worker's bindings. */
export interface ImageEnv {
  FILES: R2Bucket;
  IMAGES?: ImagesBinding;
}

/** Largest first: the thumbnail is made from the web size, not from the original again. */
const SPECS: ResizeSpec[] = [
  { longEdge: VARIANT_LONG_EDGE.web, quality: 82 },
  { longEdge: VARIANT_LONG_EDGE.thumb, quality: 78 },
];

/**
 * Makes the web size and thumbnail of a just-uploaded gallery file and records their keys on
 * every row of the studio holding the original. Runs inline at upload completion, so the next
 * files listing already has the thumbnail (the engines' size caps bound the time); never throws, since
 * the upload itself has succeeded: a file that is no image, cannot be decoded or is past the
 * engine's limits keeps no variants (the UI shows a generic icon). Returns whether it made them.
 */
export async function makeFileVariants(db: Db, env: ImageEnv, file: { studioId: string; storageKey: string; contentType: string; sizeBytes: number }): Promise<boolean> {
  if (!RESIZABLE_TYPES.has(file.contentType)) return false;
  try {
    const made = env.IMAGES
      ? file.sizeBytes <= BINDING_MAX_BYTES
        ? await resizeWithBinding(env.IMAGES, async () => (await env.FILES.get(file.storageKey))?.body ?? null, SPECS)
        : null
      : resizeWithWasm(await readObject(env.FILES, file.storageKey, file.sizeBytes), SPECS);
    if (!made) return false;
    const [web, thumb] = made as [ResizedImage, ResizedImage];
    if (!thumb.bytes || (!web.bytes && file.contentType !== "image/jpeg")) return false;
    // A JPEG already within the web size is its own web size (no second copy).
    const keys = { webKey: web.bytes ? variantKey(file.storageKey, "web") : file.storageKey, thumbKey: variantKey(file.storageKey, "thumb") };
    const httpMetadata = { contentType: VARIANT_CONTENT_TYPE };
    await Promise.all([
      web.bytes ? env.FILES.put(keys.webKey, web.bytes, { httpMetadata }) : null,
      env.FILES.put(keys.thumbKey, thumb.bytes, { httpMetadata }),
    ]);
    const res = await db
      .update(files)
      .set(keys)
      .where(and(eq(files.studioId, file.studioId), eq(files.storageKey, file.storageKey)))
      .run();
    if (res.meta.changes === 0) {
      // Deleted while we worked: do not leave orphans behind.
      await env.FILES.delete([keys.webKey, keys.thumbKey].filter((k) => k !== file.storageKey));
      return false;
    }
    return true;
  } catch (err) {
    console.warn(JSON.stringify({ msg: "gallery image variants failed", key: file.storageKey, error: String(err) }));
    return false;
  }
}

/** The original's bytes, or empty when it is too big to hold (the WASM engine then declines). */
async function readObject(bucket: R2Bucket, key: string, sizeBytes: number): Promise<Uint8Array> {
  if (sizeBytes > WASM_MAX_BYTES) return new Uint8Array();
  const obj = await bucket.get(key);
  return obj ? new Uint8Array(await obj.arrayBuffer()) : new Uint8Array();
}
