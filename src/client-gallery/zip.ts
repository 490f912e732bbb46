import { configure, ZipWriter } from "@zip.js/zip.js/index-native.js";

// No Web Workers in workerd, and stored entries (photos and videos do not compress) need no codec.
configure({ useWebWorkers: false, useCompressionStream: false });

/** One file of a ZIP: its name inside the archive, its size, and how to open its bytes when its turn comes. */
export interface ZipSource {
  name: string;
  size: number;
  lastModified: Date;
  open: () => Promise<ReadableStream<Uint8Array> | null>;
}

/** Past these, offsets or counts no longer fit the classic records: the archive is written as ZIP64. */
const ZIP32_MAX_BYTES = 0xffff_ffff - 1024 * 1024;
const ZIP32_MAX_ENTRIES = 0xffff;

/** Whether an archive of these sources needs ZIP64 (`force` is for tests of the ZIP64 layout). */
export function needsZip64(sources: Pick<ZipSource, "size">[], force = false) {
  const total = sources.reduce((n, s) => n + s.size + 128, 0);
  return force || total > ZIP32_MAX_BYTES || sources.length >= ZIP32_MAX_ENTRIES;
}

/**
 * A ZIP of `sources` as a stream, built while it is read: entries are stored (not compressed),
 * added one at a time, and each source is opened only when the previous one is fully written,
 * so at most one object is in flight and the reader's pace (backpressure) paces the R2 reads.
 * Nothing is buffered beyond the streams' small queues. ZIP64 when the sizes need it.
 * A source that has vanished is skipped; a failure aborts the stream (the client sees a
 * truncated download, never a silently incomplete archive).
 */
export function zipStream(sources: ZipSource[], opts: { forceZip64?: boolean } = {}): { stream: ReadableStream<Uint8Array>; done: Promise<void> } {
  const zip64 = needsZip64(sources, opts.forceZip64);
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = new ZipWriter(writable, { level: 0, zip64, bufferedWrite: false, keepOrder: true, useWebWorkers: false, dataDescriptor: true });
  const done = (async () => {
    try {
      for (const s of sources) {
        const body = await s.open();
        if (!body) continue;
        await writer.add(s.name, body, { lastModDate: s.lastModified, uncompressedSize: s.size, zip64 });
      }
      await writer.close(undefined, { zip64 });
    } catch (err) {
      await writable.abort(err).catch(() => {});
    }
  })();
  return { stream: readable, done };
}

/** Archive names: folders become directories, unsafe characters are replaced, duplicates get " (2)", " (3)"… */
export function archiveNames(files: { name: string; folderPath: string }[]): string[] {
  const used = new Set<string>();
  return files.map((f) => {
    const clean = (s: string) => s.replace(/[\\:*?"<>|\u0000-\u001f]/g, "_").replace(/^\.+$/, "_");
    const dir = f.folderPath
      .split("/")
      .filter((p) => p && p !== "." && p !== "..")
      .map(clean)
      .join("/");
    const base = clean(f.name) || "file";
    const dot = base.lastIndexOf(".");
    const [stem, ext] = dot > 0 ? [base.slice(0, dot), base.slice(dot)] : [base, ""];
    let name = dir ? `${dir}/${base}` : base;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${dir ? `${dir}/` : ""}${stem} (${n})${ext}`;
    used.add(name.toLowerCase());
    return name;
  });
}
