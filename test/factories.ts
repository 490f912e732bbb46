import { exports } from "cloudflare:workers";

export const BASE = "http://localhost";
let seq = 0;

/** A unique email per call so tests never share accounts. */
export function uniqueEmail(tag = "user"): string {
  seq++;
  return `${tag}-${Date.now().toString(36)}-${seq}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

/** Calls the Worker's real fetch handler (the full app, middleware included). */
export function call(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(new Request(BASE + path, init));
}

export function postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return call(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
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

/** Registers a fresh account through the public API and returns its key and session cookie. */
export async function registerAccount(accountType: AccountType = "studio", extra: Record<string, unknown> = {}): Promise<TestAccount> {
  const email = uniqueEmail(accountType);
  const password = "correct horse battery";
  const res = await postJson("/api/register", { email, password, displayName: `Test ${accountType}`, accountType, ...extra });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as Record<string, unknown>;
  const key = String(body.apiKey ?? body.driveApiKey ?? body.messagingApiKey);
  const setCookie = res.headers.get("set-cookie") ?? "";
  const cookie = setCookie.split(";")[0]!;
  return { profileId: String(body.profileId), email, password, key, cookie, body };
}

/** Headers for a same-origin dashboard request with the account's session. */
export function sessionHeaders(a: { cookie: string }, extra: Record<string, string> = {}): Record<string, string> {
  return { cookie: a.cookie, origin: BASE, ...extra };
}
