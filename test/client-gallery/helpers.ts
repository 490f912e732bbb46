import { api, Browser, ok, registerStudio, type Studio } from "../factories";
import { bytes, createCollection, uploadFile } from "../gallery/helpers";

export interface Share {
  collectionId: string;
  enabled: boolean;
  url: string | null;
  slug: string | null;
  passwordProtected: boolean;
  pinProtected: boolean;
  expiresAt: string | null;
  expired: boolean;
  downloads: "none" | "web" | "original";
  coverFileId: string | null;
}

/** POST /api/collections/{id}/share with the studio's key; throws unless 200. */
export function share(s: Studio, collectionId: string, body: Record<string, unknown> = {}): Promise<Share> {
  return ok<Share>(api("POST", `/api/collections/${collectionId}/share`, s, body));
}

/** A fresh studio with a collection of `n` small JPEG-typed files (distinct bytes), shared with `settings`. */
export async function sharedGallery(settings: Record<string, unknown> = {}, n = 3) {
  const s = await registerStudio();
  const col = await createCollection(s, { name: "Smith wedding", date: "2026-06-15" });
  const files = [];
  for (let i = 0; i < n; i++) files.push(await uploadFile(s, col.id, `IMG_${i + 1}.jpg`, bytes(500 + i, 10 + i)));
  const link = await share(s, col.id, settings);
  return { s, col, files, link, path: new URL(link.url!).pathname };
}

/** A visitor's browser that has passed the password (when one is given). */
export async function visitor(path: string, password?: string) {
  const b = new Browser();
  if (password !== undefined) {
    const res = await b.postForm(`${path}/unlock`, { password });
    if (res.status !== 303) throw new Error(`unlock: ${res.status}`);
  }
  return b;
}

/** Sets the visitor's email and hearts `fileIds`. */
export async function favorite(b: Browser, path: string, email: string, fileIds: string[]) {
  const e = await b.postJson(`${path}/email`, { email });
  if (e.status !== 200) throw new Error(`email: ${e.status} ${await e.text()}`);
  for (const id of fileIds) {
    const r = await b.fetch(`${path}/favorites/${id}`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ favorite: true }) });
    if (r.status !== 200) throw new Error(`favorite: ${r.status} ${await r.text()}`);
  }
}

/** Entries of a stored (method 0) ZIP read from its central directory, ZIP64 included: name and bytes. */
export function readZip(buf: Uint8Array): { name: string; data: Uint8Array; zip64: boolean }[] {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let eocd = -1;
  for (let i = buf.length - 22; i >= 0; i--) if (dv.getUint32(i, true) === 0x06054b50) { eocd = i; break; }
  if (eocd < 0) throw new Error("no end of central directory");
  let count = dv.getUint16(eocd + 10, true);
  let cdOffset = dv.getUint32(eocd + 16, true);
  const zip64 = eocd >= 20 && dv.getUint32(eocd - 20, true) === 0x07064b50;
  if (zip64) {
    const rec = Number(dv.getBigUint64(eocd - 20 + 8, true));
    if (dv.getUint32(rec, true) !== 0x06064b50) throw new Error("bad zip64 end record");
    count = Number(dv.getBigUint64(rec + 32, true));
    cdOffset = Number(dv.getBigUint64(rec + 48, true));
  }
  const out = [];
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (dv.getUint32(p, true) !== 0x02014b50) throw new Error("bad central header");
    const method = dv.getUint16(p + 10, true);
    let csize = dv.getUint32(p + 20, true);
    let local = dv.getUint32(p + 42, true);
    const nameLen = dv.getUint16(p + 28, true), extraLen = dv.getUint16(p + 30, true), commentLen = dv.getUint16(p + 32, true);
    const name = new TextDecoder().decode(buf.subarray(p + 46, p + 46 + nameLen));
    // ZIP64 extra field (0x0001): the 0xffffffff fields, in order usize, csize, offset.
    let usize = dv.getUint32(p + 24, true);
    for (let e = p + 46 + nameLen; e < p + 46 + nameLen + extraLen; ) {
      const id = dv.getUint16(e, true), len = dv.getUint16(e + 2, true);
      if (id === 1) {
        let q = e + 4;
        if (usize === 0xffffffff) { usize = Number(dv.getBigUint64(q, true)); q += 8; }
        if (csize === 0xffffffff) { csize = Number(dv.getBigUint64(q, true)); q += 8; }
        if (local === 0xffffffff) { local = Number(dv.getBigUint64(q, true)); q += 8; }
      }
      e += 4 + len;
    }
    if (method !== 0) throw new Error(`entry ${name} is compressed (${method})`);
    const start = local + 30 + dv.getUint16(local + 26, true) + dv.getUint16(local + 28, true);
    out.push({ name, data: buf.subarray(start, start + csize), zip64 });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

export { bytes, registerStudio };
