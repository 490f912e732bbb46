import type { DownloadMode, files } from "../db/schema";
import { ApiError } from "../platform/errors";
import { VARIANT_CONTENT_TYPE, VARIANT_EXT } from "../platform/images/keys";
import { serveObject } from "../platform/storage";
import type { Visitor } from "./access";
import { archiveNames, zipStream, type ZipSource } from "./zip";

type FileRow = typeof files.$inferSelect;

/** The key a download of `mode` serves: the web size where one exists, else the original. */
function downloadKey(f: FileRow, mode: Exclude<DownloadMode, "none">): { key: string; name: string; size: number | null; contentType: string } {
  if (mode === "web" && f.webKey) {
    const dot = f.name.lastIndexOf(".");
    return { key: f.webKey, name: `${dot > 0 ? f.name.slice(0, dot) : f.name}.${VARIANT_EXT}`, size: null, contentType: VARIANT_CONTENT_TYPE };
  }
  return { key: f.storageKey, name: f.name, size: f.sizeBytes, contentType: f.contentType };
}

/** 403 unless the share allows downloads and the visitor has entered the PIN where one is set. */
export function assertCanDownload(mode: DownloadMode, visitor: Visitor): asserts mode is Exclude<DownloadMode, "none"> {
  if (mode === "none") throw new ApiError("downloads_disabled", "The photographer has not enabled downloads for this gallery");
  if (!visitor.pin) throw new ApiError("pin_required", "Enter the download PIN first");
}

const attachment = (name: string) => {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
};

/**
 * A streamed ZIP of `rows` (see zipStream): R2 objects are opened one at a time as the client
 * reads, so memory stays flat whatever the gallery's size. `waitUntil` keeps the writer alive
 * for as long as the client keeps reading.
 */
export function zipResponse(bucket: R2Bucket, rows: FileRow[], mode: Exclude<DownloadMode, "none">, archiveName: string, waitUntil: (p: Promise<unknown>) => void, opts: { forceZip64?: boolean } = {}) {
  const picked = rows.map((f) => ({ f, ...downloadKey(f, mode) }));
  const names = archiveNames(picked.map((p) => ({ name: p.name, folderPath: p.f.folderPath })));
  const sources: ZipSource[] = picked.map((p, i) => ({
    name: names[i]!,
    // A web size's length is only known once read: stored with a data descriptor either way.
    size: p.size ?? p.f.sizeBytes,
    lastModified: new Date(p.f.createdAt),
    open: async () => (await bucket.get(p.key))?.body ?? null,
  }));
  const { stream, done } = zipStream(sources, opts);
  waitUntil(done);
  return new Response(stream, {
    status: 200,
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": attachment(`${archiveName.replace(/[/\\]/g, "_") || "gallery"}.zip`),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/** One file as an attachment (Range and ETag as for media), in the size the share allows. */
export async function fileDownload(bucket: R2Bucket, f: FileRow, mode: Exclude<DownloadMode, "none">, request: Request): Promise<Response> {
  const { key, name, contentType } = downloadKey(f, mode);
  const res = await serveObject(bucket, key, request, { contentType, fileName: name });
  if (!res) throw new ApiError("not_found", "file not found");
  const out = new Response(res.body, res);
  out.headers.set("Content-Disposition", attachment(name));
  out.headers.set("Cache-Control", "private, no-store");
  return out;
}
