import { env } from "cloudflare:workers";
import { api, call, keyHeaders, ok, putPresigned, type Presigned } from "../factories";

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

/** POST /api/drive/upload/presign with the account's key; throws unless it answers 200. */
export function presign(a: { key: string }, body: Record<string, unknown>, extra: Record<string, string> = {}) {
  return ok<Presigned>(api("POST", "/api/drive/upload/presign", a, body, extra));
}

/** presign -> PUT -> complete through the API key routes. */
export async function uploadPresigned(a: { key: string }, name: string, content: string, folderId: string | null = null, extra: Record<string, string> = {}, bodyExtra: Record<string, unknown> = {}) {
  const data = new TextEncoder().encode(content);
  const p = await presign(a, { fileName: name, contentType: "text/plain", sizeBytes: data.byteLength, folderId, ...bodyExtra }, extra);
  const put = await putPresigned(p, data);
  if (put.status !== 200) throw new Error(`PUT ${put.status}`);
  return ok<DriveFile>(api("POST", "/api/drive/upload/complete", a, { storageKey: p.storageKey, fileName: name, sizeBytes: data.byteLength, folderId, ...bodyExtra }, extra), 201);
}

export async function driveRow(driveId: string) {
  return (await env.DB.prepare("SELECT used_bytes AS used, reserved_bytes AS reserved FROM drives WHERE id = ?").bind(driveId).first()) as { used: number; reserved: number };
}

export interface TrashItem {
  id: string;
  type: "file" | "folder";
  name: string;
  originalParentId: string | null;
  sizeBytes: number;
  fileCount: number;
  deletedAt: string;
  purgeAt: string;
}

/** GET /api/drive/trash (the Recycle Bin) with the account's key. */
export const trash = (a: { key: string }) => ok<{ items: TrashItem[] }>(api("GET", "/api/drive/trash", a));

/** The Drive dashboard page with the account's session: status, HTML and its CSP. */
export async function drivePage(a: { cookie: string }, query = "") {
  const res = await call(`/dashboard/drive${query}`, { headers: { cookie: a.cookie } });
  return { status: res.status, html: await res.text(), csp: res.headers.get("content-security-policy") ?? "" };
}

/** The header with which a partner app's backend speaks for its app (the body field integrationClientId works alike). */
export const INTEGRATION_HEADER = "x-gellhub-integration-client-id";
