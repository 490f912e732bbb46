import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import worker from "../src/index";

export const BASE = "http://localhost";
let seq = 0;

/** A unique email per call so tests never share accounts. */
export function uniqueEmail(tag = "user"): string {
  seq++;
  return `${tag}-${Date.now().toString(36)}-${seq}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

/** How a test reaches the Worker: `call`, or `callWith` bound to a deployment's secrets. */
export type Send = (path: string, init?: RequestInit) => Promise<Response>;

/** Calls the Worker's real fetch handler (the full app, middleware included). */
export function call(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(new Request(BASE + path, init));
}

/** Fetches an absolute URL on the Worker: presigned PUTs, media URLs, a partner backend's server-to-server calls. */
export function fetchUrl(url: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(new Request(url, init));
}

/**
 * Calls the Worker's fetch handler with `over` on top of the test bindings (a deployment with
 * secrets set, or other hosts than localhost): `path` is relative to BASE or an absolute URL.
 * Waits for the request's waitUntil work before returning.
 */
export async function callWith(over: Record<string, string>, path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(new URL(path, BASE), init), { ...env, ...over } as typeof env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** A request init carrying `body` as JSON. */
export function jsonInit(body: unknown, headers: Record<string, string> = {}, method = "POST"): RequestInit {
  return { method, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}

/** POSTs `body` as JSON with no credentials beyond `headers`. */
export function postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return call(path, jsonInit(body, headers));
}

export type AccountType = "studio" | "drive" | "messaging";

export interface TestAccount {
  profileId: string;
  email: string;
  password: string;
  key: string;
  cookie: string;
  body: Record<string, unknown>;
}

/**
 * Registers a fresh account through the public API and returns its key (whatever the line
 * names it) and session cookie; `send` picks the deployment (default: the test bindings).
 * Throws unless the API answers 201.
 */
export async function registerAccount(accountType: AccountType = "studio", extra: Record<string, unknown> = {}, send: Send = call): Promise<TestAccount> {
  const email = uniqueEmail(accountType);
  const password = "correct horse battery";
  const res = await send("/api/register", jsonInit({ email, password, displayName: `Test ${accountType}`, accountType, ...extra }));
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as Record<string, unknown>;
  const key = String(body.apiKey ?? body.driveApiKey ?? body.messagingApiKey);
  const setCookie = res.headers.get("set-cookie") ?? "";
  const cookie = setCookie.split(";")[0]!;
  return { profileId: String(body.profileId), email, password, key, cookie, body };
}

export interface Studio extends TestAccount {
  studioId: string;
}

/** A fresh Client Gallery account (free plan) with its sk_ key, session cookie and studio id. */
export async function registerStudio(): Promise<Studio> {
  const a = await registerAccount("studio");
  return { ...a, studioId: String(a.body.studioId) };
}

export interface DriveAccount extends TestAccount {
  driveId: string;
}

/** A fresh Drive account (free plan) with its drv_ key, session cookie and drive id. */
export async function registerDrive(): Promise<DriveAccount> {
  const a = await registerAccount("drive");
  return { ...a, driveId: String(a.body.driveId) };
}

/** A fresh account promoted to platform staff (there is no API for that: staff are set in the database). */
export async function registerStaff(): Promise<TestAccount> {
  const a = await registerAccount("studio");
  await env.DB.prepare("UPDATE profiles SET role = 'staff' WHERE id = ?").bind(a.profileId).run();
  return a;
}

/** Headers for a same-origin dashboard request with the account's session. */
export function sessionHeaders(a: { cookie: string }, extra: Record<string, string> = {}): Record<string, string> {
  return { cookie: a.cookie, origin: BASE, ...extra };
}

/** Headers carrying the account's API key. */
export function keyHeaders(a: { key: string }, extra: Record<string, string> = {}): Record<string, string> {
  return { "x-api-key": a.key, ...extra };
}

function withJson(headers: Record<string, string>, body: unknown): RequestInit {
  if (body === undefined) return { headers };
  return { headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(body) };
}

/** An API request with the account's x-api-key; `body`, when given, is sent as JSON. */
export function api(method: string, path: string, a: { key: string }, body?: unknown, extra: Record<string, string> = {}): Promise<Response> {
  return call(path, { method, ...withJson(keyHeaders(a, extra), body) });
}

/** The same request from the dashboard: the session cookie and our own Origin, never a key. */
export function dash(method: string, path: string, a: { cookie: string }, body?: unknown): Promise<Response> {
  return call(path, { method, ...withJson(sessionHeaders(a), body) });
}

/** A dashboard form POST (urlencoded) with the account's session; a redirect is returned, not followed. */
export function submitForm(a: { cookie: string }, path: string, fields: Record<string, string> = {}): Promise<Response> {
  return call(path, { method: "POST", headers: sessionHeaders(a), body: new URLSearchParams(fields), redirect: "manual" });
}

/** What every presign route answers (Gallery and Drive share one schema). */
export interface Presigned {
  uploadUrl: string;
  storageKey: string;
  headers: Record<string, string>;
  expiresAt: string;
}

/** The client's PUT to a presigned URL, with the headers the presign answered unless others are given. */
export function putPresigned(p: Pick<Presigned, "uploadUrl" | "headers">, body: BodyInit, headers: Record<string, string> = p.headers): Promise<Response> {
  return fetchUrl(p.uploadUrl, { method: "PUT", headers, body });
}

/** Reads a JSON body after checking the status; throws with the body otherwise. */
export async function ok<T = Record<string, unknown>>(res: Response | Promise<Response>, status = 200): Promise<T> {
  const r = await res;
  const text = await r.text();
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** Asserts that a dashboard page sends a visitor without a session to `location` (the login page). */
export async function expectLoginRedirect(path: string, location: string): Promise<void> {
  const res = await call(path, { redirect: "manual" });
  expect(res.status).toBe(303);
  expect(res.headers.get("location")).toBe(location);
}

/**
 * A cookie-keeping browser against the Worker: sends its cookies, stores Set-Cookie
 * (including deletions), and sends Origin on unsafe methods like a real browser does.
 * Requests to other hosts (the partner's callback) are not sent: follow() stops there.
 * With `over`, it talks to a deployment with those secrets set (see callWith).
 */
export class Browser {
  readonly cookies = new Map<string, string>();

  constructor(private readonly over?: Record<string, string>) {}

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const full = new URL(url, BASE);
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const method = (init.method ?? "GET").toUpperCase();
    if (method !== "GET" && method !== "HEAD" && !headers.has("origin")) headers.set("origin", full.origin);
    const request = { ...init, headers, redirect: "manual" } as const;
    const res = this.over ? await callWith(this.over, full.toString(), request) : await exports.default.fetch(new Request(full, request));
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split("=")[1]!) < Date.now()));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  postJson(path: string, body: unknown): Promise<Response> {
    return this.fetch(path, jsonInit(body));
  }

  postForm(path: string, fields: Record<string, string>): Promise<Response> {
    return this.fetch(path, { method: "POST", body: new URLSearchParams(fields) });
  }

  /** Follows redirects on our own origin; returns the first response that is not one, or the foreign Location. */
  async follow(res: Response): Promise<{ res: Response; external?: URL }> {
    for (let i = 0; i < 10 && res.status >= 300 && res.status < 400; i++) {
      const loc = new URL(res.headers.get("location")!, BASE);
      if (loc.origin !== BASE) return { res, external: loc };
      res = await this.fetch(loc.toString());
    }
    return { res };
  }
}
