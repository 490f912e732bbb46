import { env, exports } from "cloudflare:workers";
import { BASE, call, registerAccount, sessionHeaders, type TestAccount } from "../factories";

export interface DriveAccount extends TestAccount {
  driveId: string;
}

/** A fresh Drive account (free plan) with its drv_ key and session cookie. */
export async function registerDrive(): Promise<DriveAccount> {
  const a = await registerAccount("drive");
  return { ...a, driveId: String(a.body.driveId) };
}

/** Fetches an absolute URL on our Worker (presigned PUTs, media URLs). */
export function fetchUrl(url: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(new Request(url, init));
}

export const keyHeaders = (a: { key: string }, extra: Record<string, string> = {}) => ({ "x-api-key": a.key, ...extra });

/** A JSON request with the account's key (and optional extra headers). */
export function api(method: string, path: string, a: { key: string }, body?: unknown, extra: Record<string, string> = {}) {
  const headers: Record<string, string> = keyHeaders(a, extra);
  if (body !== undefined) headers["content-type"] = "application/json";
  return call(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

/** The same request from the dashboard (session cookie, same origin). */
export function dash(method: string, path: string, a: { cookie: string }, body?: unknown) {
  const headers: Record<string, string> = sessionHeaders(a);
  if (body !== undefined) headers["content-type"] = "application/json";
  return call(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

export async function ok<T = Record<string, unknown>>(res: Response | Promise<Response>, status = 200): Promise<T> {
  const r = await res;
  const text = await r.text();
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

export interface Folder {
  id: string;
  name: string;
  parentId: string | null;
  isIntegrationAppFolder: boolean;
}

export interface DriveFile {
  id: string;
  name: string;
  folderId: string | null;
  sizeBytes: number;
  storageKey: string;
  contentType: string;
  url?: string;
  mediaToken?: string;
}

export interface Listing {
  parentId: string | null;
  breadcrumbs: { id: string | null; name: string }[];
  readOnly: boolean;
  folders: Folder[];
  files: DriveFile[];
  nextCursor: string | null;
}

export function mkdir(a: { key: string }, name: string, parentId: string | null = null, extra: Record<string, string> = {}) {
  return ok<Folder>(api("POST", "/api/drive", a, { name, parentId }, extra), 201);
}

export function list(a: { key: string }, query = "", extra: Record<string, string> = {}) {
  return ok<Listing>(api("GET", `/api/drive${query}`, a, undefined, extra));
}

/** Multipart proxy upload, as the documented curl does. */
export function uploadForm(a: { key: string }, name: string, content: string | Uint8Array, folderId?: string | null, type = "text/plain", extra: Record<string, string> = {}) {
  const form = new FormData();
  if (folderId) form.append("folderId", folderId);
  form.append("file", new File([content], name, { type }));
  return call("/api/drive/upload", { method: "POST", headers: keyHeaders(a, extra), body: form });
}

export async function upload(a: { key: string }, name: string, content: string | Uint8Array = "hello", folderId?: string | null, type = "text/plain") {
  return ok<DriveFile>(uploadForm(a, name, content, folderId, type), 201);
}

/** presign -> PUT -> complete through the API key routes. */
export async function uploadPresigned(a: { key: string }, name: string, content: string, folderId: string | null = null, extra: Record<string, string> = {}, bodyExtra: Record<string, unknown> = {}) {
  const data = new TextEncoder().encode(content);
  const p = await ok<{ uploadUrl: string; storageKey: string; headers: Record<string, string> }>(
    api("POST", "/api/drive/upload/presign", a, { fileName: name, contentType: "text/plain", sizeBytes: data.byteLength, folderId, ...bodyExtra }, extra),
  );
  const put = await fetchUrl(p.uploadUrl, { method: "PUT", headers: p.headers, body: data });
  if (put.status !== 200) throw new Error(`PUT ${put.status}`);
  return ok<DriveFile>(api("POST", "/api/drive/upload/complete", a, { storageKey: p.storageKey, fileName: name, sizeBytes: data.byteLength, folderId, ...bodyExtra }, extra), 201);
}

export async function driveRow(driveId: string) {
  return (await env.DB.prepare("SELECT used_bytes AS used, reserved_bytes AS reserved FROM drives WHERE id = ?").bind(driveId).first()) as { used: number; reserved: number };
}

export { BASE, call, sessionHeaders };
