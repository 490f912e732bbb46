import { env } from "cloudflare:workers";
import { call } from "../factories";

export const UPLOADS = "/api/v1/uploads";
export const TUS = { "Tus-Resumable": "1.0.0" };
export const OCTET = "application/offset+octet-stream";
export const MiB = 1024 * 1024;

/** Deterministic bytes (a position pattern, so a shifted or repeated chunk shows). */
export function pattern(size: number, seed = 0): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed + (i >> 8)) & 0xff;
  return out;
}

const b64 = (s: string) => btoa(String.fromCharCode(...new TextEncoder().encode(s)));

/** Upload-Metadata as tus-js-client writes it. */
export function metadata(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k} ${b64(v)}`)
    .join(",");
}

export function tus(method: string, path: string, key: string | null, headers: Record<string, string> = {}, body?: BodyInit) {
  return call(path, { method, headers: { ...TUS, ...(key ? { "x-api-key": key } : {}), ...headers }, body });
}

/** POST /api/v1/uploads; returns the upload id and its URL path. */
export async function createUpload(key: string, length: number | null, meta: Record<string, string> = { filename: "film.bin", filetype: "application/octet-stream" }) {
  const res = await tus("POST", UPLOADS, key, { ...(length === null ? { "Upload-Defer-Length": "1" } : { "Upload-Length": String(length) }), "Upload-Metadata": metadata(meta) });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  const location = res.headers.get("location")!;
  const path = new URL(location).pathname;
  return { id: path.split("/").pop()!, path, location, res };
}

export function patch(key: string, path: string, offset: number, body: Uint8Array, headers: Record<string, string> = {}) {
  return tus("PATCH", path, key, { "content-type": OCTET, "Upload-Offset": String(offset), ...headers }, body);
}

export async function head(key: string, path: string) {
  return tus("HEAD", path, key);
}

/** Uploads `data` in PATCHes of `chunk` bytes; returns the last response. */
export async function uploadAll(key: string, path: string, data: Uint8Array, chunk: number) {
  let res: Response | undefined;
  for (let off = 0; off < data.byteLength; off += chunk) {
    res = await patch(key, path, off, data.subarray(off, Math.min(off + chunk, data.byteLength)));
    if (res.status !== 204) throw new Error(`PATCH at ${off}: ${res.status} ${await res.text()}`);
  }
  return res!;
}

export async function sha1b64(data: Uint8Array) {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-1", data));
  return btoa(String.fromCharCode(...d));
}

/** The R2 object of a finished upload (its key comes from the row). */
export async function storedBytes(storageKey: string) {
  const obj = await env.FILES.get(storageKey);
  return obj ? new Uint8Array(await obj.arrayBuffer()) : null;
}

export async function uploadRow(id: string) {
  return env.DB.prepare("SELECT * FROM tus_uploads WHERE id = ?").bind(id).first<{ storage_key: string; multipart_id: string | null; part_size: number; offset: number; tail_size: number; parts: string; lease_id: string | null; expires_at: number; completed_at: number | null }>();
}

export async function usage(studioId: string) {
  return env.DB.prepare("SELECT used_bytes AS used, reserved_bytes AS reserved FROM studios WHERE id = ?").bind(studioId).first<{ used: number; reserved: number }>();
}

export function equalBytes(a: Uint8Array | null, b: Uint8Array) {
  if (!a || a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
