import { env } from "cloudflare:workers";
import { api, call, keyHeaders, postJson, putPresigned, registerStudio, type Presigned, type Studio } from "../factories";

export async function createCollection(s: Studio, body: Record<string, unknown> = { name: "Shoot" }) {
  const res = await postJson("/api/collections", body, keyHeaders(s));
  if (res.status !== 201) throw new Error(`create collection: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; name: string; categoryId: string | null; fileCount: number; totalBytes: number };
}

export async function createCategory(s: Studio, name = "General") {
  const res = await postJson("/api/categories", { name }, keyHeaders(s));
  if (res.status !== 201) throw new Error(`create category: ${res.status}`);
  return (await res.json()) as { id: string; name: string };
}

/** POST /api/upload/presign for one file of the collection, by client "Jane". */
export async function presign(s: Studio, collectionId: string, fileName: string, contentType: string, sizeBytes: number) {
  return postJson("/api/upload/presign", { collectionId, clientName: "Jane", fileName, contentType, sizeBytes }, keyHeaders(s));
}

export function complete(s: Studio, p: { storageKey: string }, extra: Record<string, unknown> = {}) {
  return postJson("/api/upload/complete", { storageKey: p.storageKey, ...extra }, keyHeaders(s));
}

/** A fresh studio with one collection and one presigned (not yet uploaded) file of `sizeBytes`. */
export async function presignedUpload(sizeBytes: number, fileName = "a.jpg", contentType = "image/jpeg") {
  const s = await registerStudio();
  const col = await createCollection(s);
  const p = (await (await presign(s, col.id, fileName, contentType, sizeBytes)).json()) as Presigned;
  return { s, col, p };
}

/** The multipart proxy upload (POST /api/upload) of one file into the collection. */
export function proxyUpload(s: Studio, collectionId: string, file: File, clientName?: string) {
  const form = new FormData();
  form.append("collectionId", collectionId);
  if (clientName !== undefined) form.append("clientName", clientName);
  form.append("file", file);
  return call("/api/upload", { method: "POST", headers: keyHeaders(s), body: form });
}

/** presign -> PUT -> complete; returns the file record. */
export async function uploadFile(s: Studio, collectionId: string, name: string, bytes: Uint8Array | string, contentType = "image/jpeg") {
  const data = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
  const pres = await presign(s, collectionId, name, contentType, data.byteLength);
  if (pres.status !== 200) throw new Error(`presign: ${pres.status} ${await pres.text()}`);
  const p = (await pres.json()) as Presigned;
  const put = await putPresigned(p, data);
  if (put.status !== 200) throw new Error(`put: ${put.status} ${await put.text()}`);
  const done = await complete(s, p);
  if (done.status !== 201) throw new Error(`complete: ${done.status} ${await done.text()}`);
  return (await done.json()) as { id: string; storageKey: string; sizeBytes: number; name: string; contentType: string };
}

export async function listFiles(s: Studio, collectionId: string, query = "") {
  const res = await api("GET", `/api/collections/${collectionId}/files${query}`, s);
  if (res.status !== 200) throw new Error(`files: ${res.status} ${await res.text()}`);
  return (await res.json()) as { files: { id: string; url: string; mediaToken: string; name: string; storageKey: string }[]; nextCursor: string | null };
}

/** A fresh studio with one uploaded file, as its listing shows it (with a signed media URL). */
export async function studioWithFile(name = "photo.jpg", contentType = "image/jpeg", data: Uint8Array | string = bytes(1000, 42)) {
  const s = await registerStudio();
  const col = await createCollection(s);
  const file = await uploadFile(s, col.id, name, data, contentType);
  const page = await listFiles(s, col.id);
  return { s, col, file, listed: page.files[0]! };
}

export async function studioRow(studioId: string) {
  return (await env.DB.prepare("SELECT used_bytes AS used, reserved_bytes AS reserved FROM studios WHERE id = ?").bind(studioId).first()) as {
    used: number;
    reserved: number;
  };
}

export async function setUsedBytes(studioId: string, used: number) {
  await env.DB.prepare("UPDATE studios SET used_bytes = ? WHERE id = ?").bind(used, studioId).run();
}

export const FREE_LIMIT = 3221225472;

export function bytes(n: number, fill = 7): Uint8Array {
  return new Uint8Array(n).fill(fill);
}

/** The documented answer to a complete that came before the object is visible: retry /complete. */
export const RETRYABLE = { error: "upload_incomplete_or_mismatch", detail: "object_not_visible_yet_retry_complete" };
