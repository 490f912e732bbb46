import { exports, env } from "cloudflare:workers";
import { call, postJson, registerAccount, type TestAccount } from "../factories";

export const BASE_ORIGIN = "http://localhost";

/** Fetches an absolute URL on our Worker (presigned PUTs, media URLs). */
export function fetchUrl(url: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(new Request(url, init));
}

export interface Studio extends TestAccount {
  studioId: string;
}

export async function registerStudio(): Promise<Studio> {
  const a = await registerAccount("studio");
  return { ...a, studioId: String(a.body.studioId) };
}

export const keyHeaders = (s: { key: string }, extra: Record<string, string> = {}) => ({ "x-api-key": s.key, ...extra });

export function getJson(path: string, s: { key: string }) {
  return call(path, { headers: keyHeaders(s) });
}

export function sendJson(method: string, path: string, s: { key: string }, body: unknown) {
  return call(path, { method, headers: { "content-type": "application/json", ...keyHeaders(s) }, body: JSON.stringify(body) });
}

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

export interface Presigned {
  uploadUrl: string;
  storageKey: string;
  headers: { "Content-Type": string };
  expiresAt: string;
}

export async function presign(s: Studio, collectionId: string, fileName: string, contentType: string, sizeBytes: number, path = "/api/upload/presign") {
  return postJson(path, { collectionId, clientName: "Jane", fileName, contentType, sizeBytes }, keyHeaders(s));
}

export function putPresigned(p: Presigned, body: BodyInit, headers: Record<string, string> = p.headers) {
  return fetchUrl(p.uploadUrl, { method: "PUT", headers, body });
}

export function complete(s: Studio, p: { storageKey: string }, extra: Record<string, unknown> = {}) {
  return postJson("/api/upload/complete", { storageKey: p.storageKey, ...extra }, keyHeaders(s));
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
  const res = await getJson(`/api/collections/${collectionId}/files${query}`, s);
  if (res.status !== 200) throw new Error(`files: ${res.status} ${await res.text()}`);
  return (await res.json()) as { files: { id: string; url: string; mediaToken: string; name: string; storageKey: string }[]; nextCursor: string | null };
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
