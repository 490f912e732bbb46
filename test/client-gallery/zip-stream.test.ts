import { BlobReader, Uint8ArrayWriter, ZipReader } from "@zip.js/zip.js/index-native.js";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { files } from "../../src/db/schema";
import { zipResponse } from "../../src/client-gallery/download";
import { readZip } from "./helpers";

type FileRow = typeof files.$inferSelect;
const MiB = 1024 * 1024;

function row(i: number, key: string, size: number): FileRow {
  return { id: `gf_${i}`, studioId: "st_x", collectionId: "col_x", storageKey: key, name: `IMG_${i}.jpg`, contentType: "image/jpeg", sizeBytes: size, clientName: "", folderPath: "", createdAt: 1_700_000_000_000 + i, linkedFrom: null, thumbKey: null, webKey: null } as FileRow;
}

/** R2 with every get() and every byte pulled out of an object's body recorded. */
function instrumented(bucket: R2Bucket) {
  const opened: string[] = [];
  const pulled = new Map<string, number>();
  const wrapped = {
    async get(key: string) {
      opened.push(key);
      const obj = await bucket.get(key);
      if (!obj) return null;
      pulled.set(key, 0);
      const body = obj.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, ctl) {
            pulled.set(key, pulled.get(key)! + chunk.byteLength);
            ctl.enqueue(chunk);
          },
        }),
      );
      return { body };
    },
  } as unknown as R2Bucket;
  const total = () => [...pulled.values()].reduce((a, b) => a + b, 0);
  return { wrapped, opened, pulled, total };
}

describe("streamed ZIP", () => {
  it("streams a 288 MiB gallery from R2: first bytes before the last object is opened, never a whole file in memory", async () => {
    const N = 3;
    const SIZE = 96 * MiB;
    const keys = Array.from({ length: N }, (_, i) => `gallery/st_x/col_x/gf_${i}/IMG_${i}.jpg`);
    const data = new Uint8Array(SIZE);
    for (let i = 0; i < N; i++) {
      data.fill(i + 1);
      await env.FILES.put(keys[i]!, data);
    }
    const r2 = instrumented(env.FILES);
    const background: Promise<unknown>[] = [];
    const res = zipResponse(r2.wrapped, keys.map((k, i) => row(i, k, SIZE)), "original", "big", (p) => background.push(p));
    expect(res.headers.get("content-type")).toBe("application/zip");

    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    // The client has bytes while only the first object is open and the last one is untouched.
    expect(r2.opened).toEqual([keys[0]]);
    expect(r2.pulled.get(keys[0]!)!).toBeLessThan(SIZE);
    expect(r2.pulled.has(keys[N - 1]!)).toBe(false);

    let delivered = first.value!.byteLength;
    let maxAhead = 0;
    let lastOpenedAt = -1;
    let tail = new Uint8Array(0);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      delivered += value.byteLength;
      // What left R2 but has not reached the client is all the Worker holds: always far below one file.
      maxAhead = Math.max(maxAhead, r2.total() - delivered);
      if (lastOpenedAt < 0 && r2.opened.length === N) lastOpenedAt = delivered;
      const t = new Uint8Array(Math.min(tail.byteLength + value.byteLength, 64 * 1024));
      const joined = new Uint8Array(tail.byteLength + value.byteLength);
      joined.set(tail);
      joined.set(value, tail.byteLength);
      t.set(joined.subarray(joined.byteLength - t.byteLength));
      tail = t;
    }
    await Promise.all(background);
    expect(maxAhead).toBeLessThan(4 * MiB);
    // The last object was opened only once the first two were on their way to the client.
    expect(lastOpenedAt).toBeGreaterThan(2 * SIZE);
    expect(r2.opened).toEqual(keys);
    expect(delivered).toBeGreaterThan(N * SIZE);
    expect(delivered).toBeLessThan(N * SIZE + 64 * 1024);
    // The end of central directory lists all three entries.
    const dv = new DataView(tail.buffer);
    const eocd = tail.byteLength - 22;
    expect(dv.getUint32(eocd, true)).toBe(0x06054b50);
    expect(dv.getUint16(eocd + 10, true)).toBe(N);
  }, 240_000);

  it("writes ZIP64 records when asked, and the archive verifies (CRC-32) with another reader", async () => {
    const keys = ["gallery/st_y/col_y/gf_1/a.jpg", "gallery/st_y/col_y/gf_2/a.jpg"];
    await env.FILES.put(keys[0]!, new TextEncoder().encode("first file"));
    await env.FILES.put(keys[1]!, new TextEncoder().encode("second file, same name"));
    const rows = keys.map((k, i) => ({ ...row(i, k, i === 0 ? 10 : 22), name: "a.jpg", folderPath: i === 1 ? "Ceremony" : "" }));
    const background: Promise<unknown>[] = [];
    const res = zipResponse(env.FILES, rows, "original", "z", (p) => background.push(p), { forceZip64: true });
    const buf = new Uint8Array(await res.arrayBuffer());
    await Promise.all(background);
    const entries = readZip(buf);
    expect(entries.map((e) => [e.name, new TextDecoder().decode(e.data), e.zip64])).toEqual([
      ["a.jpg", "first file", true],
      ["Ceremony/a.jpg", "second file, same name", true],
    ]);
    const zr = new ZipReader(new BlobReader(new Blob([buf])));
    const list = await zr.getEntries();
    for (const e of list) {
      const out = await (e as unknown as { getData: (w: Uint8ArrayWriter, o: object) => Promise<Uint8Array> }).getData(new Uint8ArrayWriter(), { checkSignature: true });
      expect(out.byteLength).toBe(e.uncompressedSize);
    }
  });
});
